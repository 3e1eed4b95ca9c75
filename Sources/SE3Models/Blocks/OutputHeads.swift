import SE3Layers
import SE3Math
import SE3Tensor

/// The output heads of a model (one `OutputHead` per `OutputSpec`, in order) on its final node
/// features `[N, (lmax+1)², C]`, with the checks every architecture shares.
public struct OutputHeads: Sendable {
    public let heads: [OutputHead]

    /// Throws `ModelError.unsupportedOutput` for duplicate names or a head that needs a higher
    /// degree than `featureLmax` (vector 1, rank 2 2).
    public static func check(_ outputs: [OutputSpec], featureLmax: Int) throws {
        var names = Set<String>()
        for o in outputs {
            guard names.insert(o.name).inserted else {
                throw ModelError.unsupportedOutput(name: o.name, reason: "duplicate output name")
            }
            let need = OutputHead.requiredLmax(o.kind)
            guard featureLmax >= need else {
                throw ModelError.unsupportedOutput(
                    name: o.name, reason: "a \(o.kind.rawValue) output needs model.lmax >= \(need), got \(featureLmax)")
            }
        }
    }

    /// The largest degree the heads read: what the last layer must compute.
    public static func requiredLmax(_ outputs: [OutputSpec]) -> Int {
        outputs.map { OutputHead.requiredLmax($0.kind) }.max() ?? 0
    }

    /// Registers the heads' parameters (`heads.<name>.…`) in order.
    public init<T>(_ outputs: [OutputSpec], store: ParameterStore<T>, channels: Int, readout: Readout,
                   rng: inout SeededGenerator) {
        heads = outputs.map { OutputHead(spec: $0, store: store, channels: channels, readout: readout, rng: &rng) }
    }

    /// Predictions keyed by output name (`[G, k]` graph heads, `[A, k]` atom heads).
    public func callAsFunction<T>(_ x: SphericalFeatures<T>, graph: AtomGraph) -> [String: Variable<T>] {
        let scalars = reshape(slice(x.variable, axis: 1, range: 0..<1), [x.count, x.channels])
        var result: [String: Variable<T>] = [:]
        for head in heads { result[head.spec.name] = head(x, scalars: scalars, graph: graph) }
        return result
    }
}
