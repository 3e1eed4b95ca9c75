import SE3Layers
import SE3Math
import SE3Tensor

/// The nonlinearity after each SE(3)-Transformer block (`model.nonlinearity`): NVIDIA's `NormSE3`
/// (`LayerNormNonlinearity`, `"<name>.gain"`, `"<name>.shift"`) or the norm gate
/// (`NormNonlinearity`, `"<name>.bias"`).
enum SE3TNonlinearity: Sendable {
    case normSE3(LayerNormNonlinearity)
    case normGate(NormNonlinearity)

    init<T>(kind: SE3TransformerConfig.Nonlinearity, store: ParameterStore<T>, name: String, lmax: Int, channels: Int,
            rng: inout SeededGenerator) throws {
        switch kind {
        case .normSE3:
            self = .normSE3(try LayerNormNonlinearity(store: store, name: name, lmax: lmax, channels: channels, rng: &rng))
        case .normGate:
            self = .normGate(try NormNonlinearity(store: store, name: name, lmax: lmax, channels: channels, rng: &rng))
        }
    }

    func callAsFunction<T>(_ x: SphericalFeatures<T>) -> SphericalFeatures<T> {
        switch self {
        case .normSE3(let f): return f(x)
        case .normGate(let f): return f(x)
        }
    }
}
