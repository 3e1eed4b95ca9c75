import SE3Layers
import SE3Math
import SE3Tensor

extension ESCN {
    /// Predictions for every head (`[G, k]` graph heads, `[A, k]` atom heads, standardised units).
    /// Throws `ModelError.unknownElement` and `ModelError.invalidGraph`. Pre-specialised for Float
    /// and Double (the model is called through `any GraphModel<T>`).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func forward(_ graph: AtomGraph, geometry: GraphGeometry<T>, tape: Tape<T>) throws -> [String: Variable<T>] {
        try graph.validate()
        let N = graph.atomCount, C = escn.sphereChannels, L = escn.lmax, M = (L + 1) * (L + 1)
        let elementRows = try embedding.rows(graph)
        let h = gatherRows(tape.parameter(embedding.weight), indices: elementRows)
        let edges = EdgeInputs(graph: graph, geometry: geometry, lmax: 0, radial: radial)
        let frames = ESCNFrames(sources: edges.sources, destinations: edges.destinations,
                                sourceElements: edges.sources.map { elementRows[Int($0)] },
                                targetElements: edges.destinations.map { elementRows[Int($0)] },
                                radial: edges.radialEmbedding, pair: edges.pairs.pair,
                                rotations: EdgeFrames.rotations(edges.vectors, exact: graph.edgeVectors, lmax: L),
                                layout: layout, averageNeighbors: config.common.effectiveAverageNeighbors)
        let zeros = tape.constant(Tensor(zeros: [N, M - 1, C]))
        var x = SphericalFeatures(concat([reshape(h, [N, 1, C]), zeros], axis: 1), lmax: L, channels: C)
        for k in 0..<escn.layers {
            let m = messages[k](x, frames: frames, scalarInput: k == 0)
            let y = nodes[k](x, messages: m)
            x = k == 0 ? y : SphericalFeatures(x.variable + y.variable, lmax: L, channels: C)
        }
        var result: [String: Variable<T>] = [:]
        for head in sphereHeads { result[head.spec.name] = head(x.variable, graph: graph) }
        if !sharedSpecs.isEmpty {
            let shared = heads(restricting: x)
            for (name, v) in sharedHeads(shared, graph: graph) { result[name] = v }
        }
        return result
    }

    /// The features the shared heads read (degrees up to 2 at most).
    func heads(restricting x: SphericalFeatures<T>) -> SphericalFeatures<T> {
        let need = OutputHeads.requiredLmax(sharedSpecs)
        guard need < x.lmax else { return x }
        let M = (need + 1) * (need + 1)
        return SphericalFeatures(slice(x.variable, axis: 1, range: 0..<M), lmax: need, channels: x.channels)
    }
}
