import SE3Layers
import SE3Math
import SE3Tensor

/// Tensor Field Network (Thomas et al. 2018; seed eq. 5–7) over `AtomGraph` batches.
///
///     V⁰_a          = E[z_a] ∈ ℝ^C                                           (one-hot(z_a) · E: atom-type embedding, l = 0 only)
///     V^{(k+1)}_a   = V^{(k)}_a + η(W^{(k)} · (1/√n̄) Σ_b F^{(k)}(r_ab) ⊗_CG V^{(k)}_b)   k = 0...L−1   (TFNInteraction)
///     F_{cm}(r)     = R_c(|r|) Y_m(r̂)                                       (eq. 5)
///
/// Hidden features hold `C` channels of each degree `l = 0...lmax` (natural parity:
/// `0e, 1o, 2e, 3o, …`); layer 0 starts from scalars; the last layer only computes the degrees
/// the heads need (0 for scalars, 1 for vectors, 2 for rank-2 outputs). The filter degrees are
/// `0...lmax`. Output heads: see `OutputHead`. Geometry (edge lengths, SH, radial embedding) is
/// evaluated once per forward and shared by all layers.
///
/// Parameter names: `embedding.weight` `[elements, C]`, `layers.<k>.radial.w<i>`,
/// `layers.<k>.self_interaction.w<l>`, `layers.<k>.self_interaction.bias`,
/// `layers.<k>.norm.bias` or `layers.<k>.gate.gateWeight`/`gateBias`, `heads.<name>.…`.
public final class TensorFieldNetwork<T: TensorScalar>: GraphModel {
    public typealias Scalar = T
    public let config: ModelConfig
    public let store: ParameterStore<T>
    public let outputs: [OutputSpec]

    let embedding: Parameter
    let interactions: [TFNInteraction]
    let heads: [OutputHead]
    let basis: any RadialBasis
    let envelope: PolynomialEnvelope
    /// `elementIndex[Z]` = row of the embedding for atomic number `Z`, or −1.
    let elementIndex: [Int32]

    /// Builds the model and initialises every parameter from `SeededGenerator(seed:)` in
    /// registration order (embedding, layers, heads). Throws `ConfigError` (invalid
    /// config) or `ModelError` (wrong model name, duplicate output names, rank-2 output with
    /// `lmax < 2`, vector output with `lmax < 1`).
    public init(config: ModelConfig, outputs: [OutputSpec], seed: UInt64) throws {
        try config.validate(file: "model config")
        guard config.name == "tfn" else { throw ModelError.wrongModel(expected: "tfn", got: config.name) }
        var names = Set<String>()
        for o in outputs {
            guard names.insert(o.name).inserted else {
                throw ModelError.unsupportedOutput(name: o.name, reason: "duplicate output name")
            }
            let need = OutputHead.requiredLmax(o.kind)
            guard config.lmax >= need else {
                throw ModelError.unsupportedOutput(
                    name: o.name, reason: "a \(o.kind.rawValue) output needs model.lmax >= \(need), got \(config.lmax)")
            }
        }
        self.config = config
        self.outputs = outputs
        let store = ParameterStore<T>()
        self.store = store
        var rng = SeededGenerator(seed: seed)
        let C = config.channels

        basis = config.radialBasis == "gaussian"
            ? try GaussianBasis(count: config.radialCount, cutoff: config.cutoff)
            : try BesselBasis(count: config.radialCount, cutoff: config.cutoff)
        envelope = try PolynomialEnvelope(p: config.envelopeExponent)

        var index = [Int32](repeating: -1, count: 119)
        for (i, z) in config.elements.enumerated() { index[z] = Int32(i) }
        elementIndex = index
        embedding = store.register("embedding.weight", shape: [config.elements.count, C],
                                   initializer: .normal(std: 1), rng: &rng)

        let headLmax = outputs.map { OutputHead.requiredLmax($0.kind) }.max() ?? 0
        var layers: [TFNInteraction] = []
        for k in 0..<config.layers {
            let last = k == config.layers - 1
            layers.append(try TFNInteraction(
                store: store, name: "layers.\(k)", lmaxIn: k == 0 ? 0 : config.lmax, lmaxFilter: config.lmax,
                lmaxOut: last ? headLmax : config.lmax, channels: C, radialInputs: config.radialCount,
                radialHidden: config.radialHidden, averageNeighbors: config.effectiveAverageNeighbors,
                nonlinearity: config.nonlinearity, rng: &rng))
        }
        interactions = layers
        heads = outputs.map { OutputHead(spec: $0, store: store, channels: C, readout: config.readout, rng: &rng) }
    }

    /// Largest degree of the features the heads read (the last layer's output degree).
    public var outputLmax: Int { interactions.last?.lmaxOut ?? 0 }
}
