import SE3Layers
import SE3Math
import SE3Tensor

extension TensorFieldNetwork {
    /// Predictions for every head (`[G, k]` graph heads, `[A, k]` atom heads, standardised units).
    /// Throws `ModelError.unknownElement` for an element outside `config.elements` and
    /// `ModelError.invalidGraph` for inconsistent graph arrays.
    ///
    /// Pre-specialised for Float and Double: the model is called through `any GraphModel<T>`,
    /// whose witness would otherwise run unspecialised generic code (10× slower).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func forward(_ graph: AtomGraph, tape: Tape<T>) throws -> [String: Variable<T>] {
        try graph.validate()
        let rows = try embeddingRows(graph)
        let N = graph.atomCount, C = config.channels
        let edges = EdgeInputs(graph: graph, lmaxFilter: config.lmax, basis: basis, envelope: envelope, tape: tape)

        var x = SphericalFeatures(reshape(gatherRows(tape.parameter(embedding), indices: rows), [N, 1, C]),
                                  lmax: 0, channels: C)
        for layer in interactions { x = layer(x, edges: edges) }

        let scalars = reshape(slice(x.variable, axis: 1, range: 0..<1), [N, C])
        var result: [String: Variable<T>] = [:]
        for head in heads { result[head.spec.name] = head(x, scalars: scalars, graph: graph) }
        return result
    }

    /// Embedding row of every atom; throws for an element the model does not know.
    func embeddingRows(_ graph: AtomGraph) throws -> [Int32] {
        var rows = [Int32](repeating: 0, count: graph.atomCount)
        for (a, z) in graph.atomicNumbers.enumerated() {
            let r = (z >= 0 && Int(z) < elementIndex.count) ? elementIndex[Int(z)] : -1
            guard r >= 0 else {
                throw ModelError.unknownElement(atomicNumber: Int(z), atom: a, known: config.elements)
            }
            rows[a] = r
        }
        return rows
    }
}
