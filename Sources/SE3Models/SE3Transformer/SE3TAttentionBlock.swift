import SE3Layers
import SE3Math
import SE3Tensor

/// One SE(3)-Transformer attention block (seed eq. 11–12; NVIDIA's `AttentionBlockSE3`), on
/// features with `C` channels of every degree `0...L`:
///
///     [v_e | k_e] = Σ_k W^{lk}(x_e) f^k_{src(e)}                 ONE kernel per edge (`SE3TConvolution`), split
///                                                               into values and keys along the output entries
///     q_i         = W_Q^l f_i^l                                  (an equivariant linear map per degree)
///     α_eh        = softmax_{e → i}( q_i · k_e / √d )            per head h over its channels of every degree
///                                                               (d = Σ_l (2l+1) C_k / H), `GraphAttention`
///     z_i         = Σ_{e → i} α_e v_e
///     f'_i        = W_z z_i + W_x f_i                            (self-interaction of the message and the skip;
///                                                               `attentive`: W_i = MLP(inner products of [z_i, f_i]))
///
/// followed by the block's nonlinearity. Parameters: `"<name>.kv.radial.*"`, `"<name>.query.*"`,
/// `"<name>.project_values.*"` and `"<name>.project_skip.*"` (linear) or `"<name>.attentive.*"`,
/// the nonlinearity's `"<name>.norm.*"`.
struct SE3TAttentionBlock: Sendable {
    enum Projection: Sendable {
        case linear(values: EquivariantLinear, skip: EquivariantLinear)
        case attentive(AttentiveSelfInteraction)
    }

    let keysValues: SE3TConvolution
    let query: EquivariantLinear
    let projection: Projection
    let nonlinearity: SE3TNonlinearity
    let valueIrreps: Irreps
    let keyIrreps: Irreps
    let heads: Int
    let valueHeads: [Int32]
    let keyHeads: [Int32]
    let logitScale: Double
    let lmax: Int
    let channels: Int

    init<T>(store: ParameterStore<T>, name: String, config: SE3TransformerConfig, hidden: Irreps, filter: Irreps,
            radialInputs: Int, averageNeighbors: Double, rng: inout SeededGenerator) throws {
        let L = config.lmax, C = config.channels, A = config.attentionChannels
        lmax = L; channels = C; heads = config.heads
        valueIrreps = SE3Transformer<T>.irreps(channels: A, lmax: L, symmetry: config.symmetry)
        keyIrreps = valueIrreps
        keysValues = try SE3TConvolution(store: store, name: "\(name).kv", irrepsIn: hidden, irrepsOut: valueIrreps + keyIrreps,
                                         filter: filter, radialInputs: radialInputs, radialHidden: config.radialHidden,
                                         layerNorm: config.radialLayerNorm, aggregates: false,
                                         averageNeighbors: averageNeighbors, selfInteraction: nil, rng: &rng)
        query = try EquivariantLinear(store: store, name: "\(name).query", lmaxIn: L, channelsIn: C, channelsOut: A,
                                      bias: false, rng: &rng)
        switch config.selfInteraction {
        case .linear:
            projection = .linear(values: try EquivariantLinear(store: store, name: "\(name).project_values", lmaxIn: L,
                                                               channelsIn: A, channelsOut: C, rng: &rng),
                                 skip: try EquivariantLinear(store: store, name: "\(name).project_skip", lmaxIn: L,
                                                             channelsIn: C, channelsOut: C, bias: false, rng: &rng))
        case .attentive:
            projection = .attentive(try AttentiveSelfInteraction(store: store, name: "\(name).attentive", lmax: L,
                                                                 channelsIn: A + C, channelsOut: C,
                                                                 hidden: config.radialHidden, rng: &rng))
        }
        nonlinearity = try SE3TNonlinearity(kind: config.nonlinearity, store: store, name: "\(name).norm", lmax: L,
                                            channels: C, rng: &rng)
        valueHeads = try GraphAttention.headOfComponent(valueIrreps, heads: heads)
        keyHeads = try GraphAttention.headOfComponent(keyIrreps, heads: heads)
        let perHead = (0...L).reduce(0) { $0 + (2 * $1 + 1) } * (A / heads)
        logitScale = 1 / Double(perHead).squareRoot()
    }

    /// `x` `[N, (L+1)², C]` → the same shape; also returns the attention weights `[E, heads]`.
    func callAsFunction<T>(_ x: SphericalFeatures<T>, edges: EdgeInputs<T>, envelope: Variable<T>)
        -> (features: SphericalFeatures<T>, attention: Variable<T>) {
        let N = x.count, dV = valueIrreps.dim, dK = keyIrreps.dim
        let kv = keysValues(x, edges: edges, envelope: envelope)              // [E, dV + dK]
        let values = sliceColumns(kv, 0..<dV), keys = sliceColumns(kv, dV..<(dV + dK))
        let q = reshape(query(x).variable, [N, dK])
        let logits = GraphAttention.logits(queries: q, keys: keys, destinations: edges.destinations, headOf: keyHeads,
                                           heads: heads, scale: T(logitScale))
        let alpha = segmentSoftmax(logits, segments: edges.destinations, count: N)
        let z = GraphAttention.aggregate(weights: alpha, values: values, destinations: edges.destinations, nodeCount: N,
                                         headOf: valueHeads, heads: heads)
        let zf = SphericalFeatures(reshape(z, [N, (lmax + 1) * (lmax + 1), dV / ((lmax + 1) * (lmax + 1))]),
                                   lmax: lmax, channels: dV / ((lmax + 1) * (lmax + 1)))
        let y: SphericalFeatures<T>
        switch projection {
        case let .linear(values, skip):
            y = SphericalFeatures(values(zf).variable + skip(x).variable, lmax: lmax, channels: channels)
        case let .attentive(f):
            y = f(SphericalFeatures(concat([zf.variable, x.variable], axis: 2), lmax: lmax, channels: zf.channels + channels))
        }
        return (nonlinearity(y), alpha)
    }
}
