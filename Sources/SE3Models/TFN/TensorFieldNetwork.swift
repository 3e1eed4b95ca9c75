import SE3Layers
import SE3Math
import SE3Tensor

/// Tensor Field Network (Thomas et al. 2018; seed eq. 5–7) over `AtomGraph` batches.
///
///     V⁰_a          = E[z_a] ∈ ℝ^C                                           (AtomEmbedding, l = 0 only)
///     V^{(k+1)}_a   = V^{(k)}_a + η(W^{(k)} · (1/√n̄) Σ_b F^{(k)}(r_ab) ⊗_CG V^{(k)}_b)   k = 0...L−1   (TFNInteraction)
///     F_{cm}(r)     = R_c(|r|) Y_m(r̂)                                       (eq. 5)
///
/// Hidden features hold `C` channels of each degree `l = 0...lmax` (natural parity:
/// `0e, 1o, 2e, 3o, …`); layer 0 starts from scalars; the last layer only computes the degrees
/// the heads need (0 for scalars, 1 for vectors, 2 for rank-2 outputs). The filter degrees are
/// `0...lmax`. Output heads: `OutputHeads`. Edge geometry (`EdgeInputs`: vectors from positions,
/// harmonics, radial embedding once per atom pair) is evaluated once per forward and shared by
/// all layers.
///
/// Parameter names: `embedding.weight` `[elements, C]`, `layers.<k>.radial.w<i>`,
/// `layers.<k>.self_interaction.w<l>`, `layers.<k>.self_interaction.bias`,
/// `layers.<k>.norm.bias` or `layers.<k>.gate.gateWeight`/`gateBias`, `heads.<name>.…`.
public final class TensorFieldNetwork<T: TensorScalar>: GraphModel {
    public typealias Scalar = T
    public let config: ModelConfig
    public let store: ParameterStore<T>
    public let outputs: [OutputSpec]

    let tfn: TFNConfig
    let embedding: AtomEmbedding
    let radial: RadialEmbedding
    let interactions: [TFNInteraction]
    let heads: OutputHeads

    /// Builds the model and initialises every parameter from `SeededGenerator(seed:)` in
    /// registration order (embedding, layers, heads). Use `ModelFactory.make`, which validates
    /// the config and the heads first.
    init(common: CommonModelConfig, tfn: TFNConfig, outputs: [OutputSpec], seed: UInt64) throws {
        self.config = ModelConfig(tfn, common: common)
        self.tfn = tfn
        self.outputs = outputs
        let store = ParameterStore<T>()
        self.store = store
        var rng = SeededGenerator(seed: seed)
        let C = tfn.channels
        radial = try RadialEmbedding(common)
        embedding = AtomEmbedding(store: store, elements: common.elements, channels: C, rng: &rng)
        let headLmax = OutputHeads.requiredLmax(outputs)
        var layers: [TFNInteraction] = []
        for k in 0..<tfn.layers {
            let last = k == tfn.layers - 1
            layers.append(try TFNInteraction(
                store: store, name: "layers.\(k)", lmaxIn: k == 0 ? 0 : tfn.lmax, lmaxFilter: tfn.lmax,
                lmaxOut: last ? headLmax : tfn.lmax, channels: C, radialInputs: radial.count,
                radialHidden: tfn.radialHidden, averageNeighbors: common.effectiveAverageNeighbors,
                nonlinearity: tfn.nonlinearity, rng: &rng))
        }
        interactions = layers
        heads = OutputHeads(outputs, store: store, channels: C, readout: common.readout, rng: &rng)
    }

    /// Largest degree of the features the heads read (the last layer's output degree).
    public var outputLmax: Int { interactions.last?.lmaxOut ?? 0 }
}
