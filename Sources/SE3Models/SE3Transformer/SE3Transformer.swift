import SE3Layers
import SE3Math
import SE3Tensor

/// SE(3)-Transformer (Fuchs et al. 2020; seed eq. 8–12; structure as NVIDIA's
/// `DGLPyTorch/DrugDiscovery/SE3Transformer`) over `AtomGraph` batches:
///
///     f⁰_a = E[z_a] ∈ ℝ^C                                           (AtomEmbedding, degree 0)
///     f    = η(Conv_in(f⁰))                                         degree 0 → 0...L  (SE3TConvolution)
///     f    = η(Attention_k(f))        k = 1...layers                degrees 0...L     (SE3TAttentionBlock)
///     g    = Conv_out(f)                                            0...L → the degrees the heads read
///     outputs = heads(g)                                            (OutputHeads; readout sum, mean or max)
///
/// Hidden features hold `C` channels of every degree `0...L`; with `symmetry: se3` every
/// `(k, J, l)` path is used (equivariant under rotations), with `e3` only those that conserve
/// parity (natural-parity features, equivariant under the inversion too). Kernels read the edge
/// harmonics up to `2L` (`EdgeInputs`, vectors from positions on the tape); radial networks run
/// once per atom pair. Parameter names: `embedding.weight`, `input.*`, `input_norm.*`,
/// `layers.<k>.*`, `output.*`, `heads.<name>.*`.
public final class SE3Transformer<T: TensorScalar>: GraphModel {
    public typealias Scalar = T
    public let config: ModelConfig
    public let store: ParameterStore<T>
    public let outputs: [OutputSpec]

    let se3t: SE3TransformerConfig
    let embedding: AtomEmbedding
    let radial: RadialEmbedding
    let cutoff: Double
    let input: SE3TConvolution
    let inputNorm: SE3TNonlinearity
    let blocks: [SE3TAttentionBlock]
    let output: SE3TConvolution
    let heads: OutputHeads
    let headLmax: Int

    /// `C` channels of every degree `0...lmax`: natural parity for `e3`, all even for `se3` (so the
    /// plans' parity rule admits every path).
    static func irreps(channels: Int, lmax: Int, symmetry: SE3TransformerConfig.Symmetry) -> Irreps {
        symmetry == .e3 ? Irreps.uniform(channels: channels, lmax: lmax) : Irreps.uniform(channels: channels, lmax: lmax, p: .even)
    }

    /// Builds the model and initialises every parameter from `SeededGenerator(seed:)` in
    /// registration order. Use `ModelFactory.make`, which validates the config and the heads first.
    init(common: CommonModelConfig, config: SE3TransformerConfig, outputs: [OutputSpec], seed: UInt64) throws {
        self.config = ModelConfig(config, common: common)
        self.se3t = config
        self.outputs = outputs
        let store = ParameterStore<T>()
        self.store = store
        var rng = SeededGenerator(seed: seed)
        let L = config.lmax, C = config.channels, n̄ = common.effectiveAverageNeighbors
        radial = try RadialEmbedding(common)
        cutoff = common.cutoff
        headLmax = OutputHeads.requiredLmax(outputs)
        let filter = config.symmetry == .e3 ? Irreps.spherical(lmax: 2 * L) : Irreps.spherical(lmax: 2 * L, p: .even)
        let hidden = Self.irreps(channels: C, lmax: L, symmetry: config.symmetry)
        embedding = AtomEmbedding(store: store, elements: common.elements, channels: C, rng: &rng)
        input = try SE3TConvolution(store: store, name: "input", irrepsIn: Self.irreps(channels: C, lmax: 0, symmetry: config.symmetry),
                                    irrepsOut: hidden, filter: filter, radialInputs: radial.count,
                                    radialHidden: config.radialHidden, layerNorm: config.radialLayerNorm, aggregates: true,
                                    averageNeighbors: n̄, selfInteraction: (0, L, C, C), rng: &rng)
        inputNorm = try SE3TNonlinearity(kind: config.nonlinearity, store: store, name: "input_norm", lmax: L, channels: C, rng: &rng)
        var blocks: [SE3TAttentionBlock] = []
        for k in 0..<config.layers {
            blocks.append(try SE3TAttentionBlock(store: store, name: "layers.\(k)", config: config, hidden: hidden,
                                                 filter: filter, radialInputs: radial.count, averageNeighbors: n̄, rng: &rng))
        }
        self.blocks = blocks
        output = try SE3TConvolution(store: store, name: "output", irrepsIn: hidden,
                                     irrepsOut: Self.irreps(channels: C, lmax: headLmax, symmetry: config.symmetry), filter: filter,
                                     radialInputs: radial.count, radialHidden: config.radialHidden,
                                     layerNorm: config.radialLayerNorm, aggregates: true, averageNeighbors: n̄,
                                     selfInteraction: (L, headLmax, C, C), rng: &rng)
        heads = OutputHeads(outputs, store: store, channels: C, readout: common.readout, rng: &rng)
    }
}
