import SE3Layers
import SE3Math
import SE3Tensor

extension SE3Transformer {
    /// Predictions for every head (`[G, k]` graph heads, `[A, k]` atom heads, standardised units).
    /// Throws `ModelError.unknownElement` and `ModelError.invalidGraph`. Pre-specialised for Float
    /// and Double (the model is called through `any GraphModel<T>`).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func forward(_ graph: AtomGraph, geometry: GraphGeometry<T>, tape: Tape<T>) throws -> [String: Variable<T>] {
        try forwardWithAttention(graph, geometry: geometry, tape: tape).outputs
    }

    /// `forward`, and the attention weights `[E, heads]` of every block (they sum to 1 over each
    /// node's incoming edges).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func forwardWithAttention(_ graph: AtomGraph, geometry: GraphGeometry<T>, tape: Tape<T>) throws
        -> (outputs: [String: Variable<T>], attention: [Variable<T>]) {
        try graph.validate()
        let N = graph.atomCount, C = se3t.channels, L = se3t.lmax
        let h = try embedding(graph, tape: tape)
        let edges = EdgeInputs(graph: graph, geometry: geometry, lmax: 2 * L, radial: radial)
        let envelope = EdgeGeometry.envelope(edges.vectors, exact: nil, rows: edges.pairs.representative,
                                             envelope: radial.envelope, cutoff: cutoff)
        let x0 = SphericalFeatures(reshape(h, [N, 1, C]), lmax: 0, channels: C)
        var x = inputNorm(SphericalFeatures(input(x0, edges: edges, envelope: envelope), lmax: L, channels: C))
        var attention: [Variable<T>] = []
        for block in blocks {
            let (y, alpha) = block(x, edges: edges, envelope: envelope)
            x = y
            attention.append(alpha)
        }
        let out = SphericalFeatures(output(x, edges: edges, envelope: envelope), lmax: headLmax, channels: C)
        return (heads(out, graph: graph), attention)
    }
}
