import SE3Config
import SE3Tensor

/// `model.name: se3_transformer` — the SE(3)-Transformer's own keys (the shared ones are in
/// `CommonModelConfig`).
public struct SE3TransformerConfig: ArchitectureConfig, Equatable {
    public static let architecture = Architecture.se3Transformer
    public static let summary = "SE(3)-Transformer (Fuchs et al. 2020; seed eq. 8-12)"

    /// Hidden features hold `channels` channels of every degree `0...lmax`.
    public var lmax: Int
    public var channels: Int
    /// Attention blocks (after the input convolution, before the output convolution).
    public var layers: Int
    /// Attention heads; every degree's key and value channels are split among them.
    public var heads: Int
    /// Keys and values have `channels / div` channels per degree (NVIDIA's `channels_div`).
    public var div: Int
    /// Hidden width of the radial networks (two hidden layers).
    public var radialHidden: Int
    /// Layer norms (and biases) in the radial networks, as NVIDIA's `use_layer_norm`.
    public var radialLayerNorm: Bool
    /// Which paths the kernels use.
    public var symmetry: Symmetry
    /// The nonlinearity after each block.
    public var nonlinearity: Nonlinearity
    /// How a block mixes channels after the attention.
    public var selfInteraction: SelfInteraction

    /// `model.self_interaction`.
    public enum SelfInteraction: String, ConfigChoice {
        /// `W_z z + W_x f`: one learned matrix per degree for the message and one for the skip
        /// (NVIDIA's projection of the concatenation).
        case linear
        /// The paper's attentive self-interaction: per node and degree, the mixing matrix of
        /// `[z, f]` is an MLP of their channels' inner products (`AttentiveSelfInteraction`).
        case attentive
    }

    /// `model.symmetry`.
    public enum Symmetry: String, ConfigChoice {
        /// Every `(k, J, l)` path with `|k − l| ≤ J ≤ k + l`, as in the paper and NVIDIA's code (19
        /// paths between degrees 0–2): equivariant under rotations; mirror images may differ.
        case se3
        /// Only the paths that conserve parity (natural parity features, as e3nn and NequIP):
        /// equivariant under rotations and the inversion.
        case e3
    }

    /// `model.nonlinearity`.
    public enum Nonlinearity: String, ConfigChoice {
        /// NVIDIA's `NormSE3`: a layer norm of the norms over channels, ReLU, rescale (`LayerNormNonlinearity`).
        case normSE3 = "norm_se3"
        /// The norm gate `σ(‖f‖ + b) f` (`NormNonlinearity`, also TFN's `norm`).
        case normGate = "norm_gate"
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case lmax, channels, layers, heads, div, radialHidden = "radial_hidden", radialLayerNorm = "radial_layer_norm"
        case symmetry, nonlinearity, selfInteraction = "self_interaction"
    }

    public static var keys: [String] { CodingKeys.allCases.map(\.stringValue) }

    public init(lmax: Int = 2, channels: Int = 16, layers: Int = 2, heads: Int = 4, div: Int = 2, radialHidden: Int = 32,
                radialLayerNorm: Bool = true, symmetry: Symmetry = .se3, nonlinearity: Nonlinearity = .normSE3,
                selfInteraction: SelfInteraction = .linear) {
        self.lmax = lmax; self.channels = channels; self.layers = layers; self.heads = heads; self.div = div
        self.radialHidden = radialHidden; self.radialLayerNorm = radialLayerNorm; self.symmetry = symmetry
        self.nonlinearity = nonlinearity; self.selfInteraction = selfInteraction
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SE3TransformerConfig()
        lmax = try c.decodeIfPresent(Int.self, forKey: .lmax) ?? d.lmax
        channels = try c.decodeIfPresent(Int.self, forKey: .channels) ?? d.channels
        layers = try c.decodeIfPresent(Int.self, forKey: .layers) ?? d.layers
        heads = try c.decodeIfPresent(Int.self, forKey: .heads) ?? d.heads
        div = try c.decodeIfPresent(Int.self, forKey: .div) ?? d.div
        radialHidden = try c.decodeIfPresent(Int.self, forKey: .radialHidden) ?? d.radialHidden
        radialLayerNorm = try c.decodeIfPresent(Bool.self, forKey: .radialLayerNorm) ?? d.radialLayerNorm
        symmetry = try c.decodeIfPresent(Symmetry.self, forKey: .symmetry) ?? d.symmetry
        nonlinearity = try c.decodeIfPresent(Nonlinearity.self, forKey: .nonlinearity) ?? d.nonlinearity
        selfInteraction = try c.decodeIfPresent(SelfInteraction.self, forKey: .selfInteraction) ?? d.selfInteraction
    }

    public func validate(common: CommonModelConfig, file: String) throws {
        func fail(_ key: CodingKeys, _ m: String) -> ConfigError { ConfigError(file: file, key: "model.\(key.stringValue)", m) }
        guard (0...4).contains(lmax) else { throw fail(.lmax, "must be in 0...4, got \(lmax)") }
        guard channels >= 1 else { throw fail(.channels, "must be >= 1, got \(channels)") }
        guard layers >= 0 else { throw fail(.layers, "must be >= 0, got \(layers)") }
        guard heads >= 1 else { throw fail(.heads, "must be >= 1, got \(heads)") }
        guard div >= 1, channels % div == 0 else { throw fail(.div, "must be >= 1 and divide model.channels (\(channels)), got \(div)") }
        guard (channels / div) % heads == 0 else {
            throw fail(.heads, "must divide the key and value channels (channels / div = \(channels / div)), got \(heads)")
        }
        guard radialHidden >= 1 else { throw fail(.radialHidden, "must be >= 1, got \(radialHidden)") }
    }

    public var featureLmax: Int { lmax }

    public var isInversionEquivariant: Bool { symmetry == .e3 }

    /// Key and value channels per degree.
    public var attentionChannels: Int { channels / div }

    public func makeModel<T: TensorScalar>(common: CommonModelConfig, outputs: [OutputSpec], seed: UInt64,
                                           as: T.Type) throws -> any GraphModel<T> {
        try SE3Transformer<T>(common: common, config: self, outputs: outputs, seed: seed)
    }
}
