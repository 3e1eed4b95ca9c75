import SE3Layers
import SE3Math
import SE3Tensor

extension TensorFieldNetwork {
    /// Predictions for every head (`[G, k]` graph heads, `[A, k]` atom heads, standardised units).
    /// Throws `ModelError.unknownElement` for an element outside `model.elements` and
    /// `ModelError.invalidGraph` for inconsistent graph arrays.
    ///
    /// Pre-specialised for Float and Double: the model is called through `any GraphModel<T>`,
    /// whose witness would otherwise run unspecialised generic code (10× slower).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func forward(_ graph: AtomGraph, geometry: GraphGeometry<T>, tape: Tape<T>) throws -> [String: Variable<T>] {
        try graph.validate()
        let N = graph.atomCount, C = tfn.channels
        let h = try embedding(graph, tape: tape)
        let edges = EdgeInputs(graph: graph, geometry: geometry, lmax: tfn.lmax, radial: radial)
        var x = SphericalFeatures(reshape(h, [N, 1, C]), lmax: 0, channels: C)
        for layer in interactions { x = layer(x, edges: edges) }
        return heads(x, graph: graph)
    }
}
