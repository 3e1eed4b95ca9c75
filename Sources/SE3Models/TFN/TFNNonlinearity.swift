import SE3Layers
import SE3Math
import SE3Tensor

/// The nonlinearity of a TFN layer (`model.nonlinearity`):
/// `norm` — the seed's `η(V⁰ + b)` on scalars and `σ(‖V^l‖ + b) V^l` on `l > 0` (`NormNonlinearity`);
/// `gate` — e3nn gates `σ(W s + b) V^l` computed from the scalars (`Gate`).
enum TFNNonlinearity: Sendable {
    case norm(NormNonlinearity)
    case gate(Gate)

    /// Registers `"<name>.norm.bias"` or `"<name>.gate.gateWeight"`, `"<name>.gate.gateBias"`.
    init<T>(kind: TFNConfig.Nonlinearity, store: ParameterStore<T>, name: String, lmax: Int, channels: Int,
            rng: inout SeededGenerator) throws {
        switch kind {
        case .norm:
            self = .norm(try NormNonlinearity(store: store, name: "\(name).norm", lmax: lmax, channels: channels, rng: &rng))
        case .gate:
            self = .gate(try Gate(store: store, name: "\(name).gate", lmax: lmax, channels: channels, rng: &rng))
        }
    }

    func callAsFunction<T>(_ x: SphericalFeatures<T>) -> SphericalFeatures<T> {
        switch self {
        case .norm(let f): return f(x)
        case .gate(let f): return f(x)
        }
    }
}
