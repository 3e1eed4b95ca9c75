import SE3Config
import SE3Tensor

/// `model.name: tfn` — the Tensor Field Network's own keys (the shared ones are in
/// `CommonModelConfig`).
public struct TFNConfig: ArchitectureConfig, Equatable {
    public static let architecture = Architecture.tfn
    public static let summary = "Tensor Field Network (Thomas et al. 2018; seed eq. 5-7)"

    /// Highest rotation order of the hidden features (and of the filter's harmonics).
    public var lmax: Int
    /// Channels per rotation order.
    public var channels: Int
    /// Number of interaction layers.
    public var layers: Int
    /// Hidden width of the radial MLP (two hidden layers).
    public var radialHidden: Int
    /// The nonlinearity after each self-interaction.
    public var nonlinearity: Nonlinearity

    /// `model.nonlinearity`.
    public enum Nonlinearity: String, ConfigChoice {
        /// The seed's norm nonlinearity: `η(V⁰ + b)`, `σ(‖V^l‖ + b) V^l` (`NormNonlinearity`).
        case norm
        /// e3nn gates `σ(W s + b) V^l` from the scalars (`Gate`).
        case gate
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case lmax, channels, layers, radialHidden = "radial_hidden", nonlinearity
    }

    public static var keys: [String] { CodingKeys.allCases.map(\.stringValue) }

    public init(lmax: Int = 2, channels: Int = 32, layers: Int = 3, radialHidden: Int = 32,
                nonlinearity: Nonlinearity = .norm) {
        self.lmax = lmax; self.channels = channels; self.layers = layers; self.radialHidden = radialHidden
        self.nonlinearity = nonlinearity
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TFNConfig()
        lmax = try c.decodeIfPresent(Int.self, forKey: .lmax) ?? d.lmax
        channels = try c.decodeIfPresent(Int.self, forKey: .channels) ?? d.channels
        layers = try c.decodeIfPresent(Int.self, forKey: .layers) ?? d.layers
        radialHidden = try c.decodeIfPresent(Int.self, forKey: .radialHidden) ?? d.radialHidden
        nonlinearity = try c.decodeIfPresent(Nonlinearity.self, forKey: .nonlinearity) ?? d.nonlinearity
    }

    public func validate(common: CommonModelConfig, file: String) throws {
        func fail(_ key: CodingKeys, _ m: String) -> ConfigError { ConfigError(file: file, key: "model.\(key.stringValue)", m) }
        guard (0...6).contains(lmax) else { throw fail(.lmax, "must be in 0...6, got \(lmax)") }
        guard channels >= 1 else { throw fail(.channels, "must be >= 1, got \(channels)") }
        guard layers >= 1 else { throw fail(.layers, "must be >= 1, got \(layers)") }
        guard radialHidden >= 1 else { throw fail(.radialHidden, "must be >= 1, got \(radialHidden)") }
    }

    public var featureLmax: Int { lmax }

    /// Every layer has a forward-mode rule (both nonlinearities included).
    public var conservativeForcesUnsupported: String? { nil }

    /// Natural-parity features and parity-conserving paths only: E(3).
    public var isInversionEquivariant: Bool { true }

    public func makeModel<T: TensorScalar>(common: CommonModelConfig, outputs: [OutputSpec], seed: UInt64,
                                           as: T.Type) throws -> any GraphModel<T> {
        try TensorFieldNetwork<T>(common: common, tfn: self, outputs: outputs, seed: seed)
    }
}
