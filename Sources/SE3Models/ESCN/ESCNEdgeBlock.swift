import SE3Layers
import SE3Math
import SE3Tensor

/// eSCN's invariant edge embedding (fairchem's `EdgeBlock`), per directed edge `s → t`:
///
///     h_e = act( W₂ act( W_d b(|v_e|) / √⟨|b|²⟩ + E_src[z_s] + E_tgt[z_t] + b_d ) / √C + b₂ )     `[E, C]`
///
/// with `C = edge_channels`, `b` the radial embedding of `CommonModelConfig` (fairchem: Gaussians every 0.02 Å) and
/// `act = k·SiLU`. `⟨|b|²⟩` is the embedding's mean squared norm (`RadialEmbedding.meanSquaredNorm`),
/// not the basis size: only a few of 250 narrow Gaussians are non-zero at any distance, and
/// `1/√250` would start the edge embedding (and so every message) near zero. As in fairchem, the element embeddings start near zero (`N(0, 0.001²)`), so that
/// at initialisation the edge embedding is a function of the distance. Parameters `"<name>.distance.*"`, `"<name>.source.weight"`,
/// `"<name>.target.weight"`, `"<name>.out.*"`.
struct ESCNEdgeBlock: Sendable {
    let distance: Dense
    let source: AtomEmbedding
    let target: AtomEmbedding
    let out: Dense

    /// `radialSecondMoment`: `RadialEmbedding.meanSquaredNorm`, so that `W_d b` has unit variance.
    init<T>(store: ParameterStore<T>, name: String, radialInputs: Int, radialSecondMoment: Double, elements: [Int],
            channels: Int, rng: inout SeededGenerator) throws {
        distance = try Dense(store: store, name: "\(name).distance", inputs: radialInputs, outputs: channels,
                             scale: 1 / radialSecondMoment.squareRoot(), rng: &rng)
        source = AtomEmbedding(store: store, name: "\(name).source", elements: elements, channels: channels, std: 0.001,
                               rng: &rng)
        target = AtomEmbedding(store: store, name: "\(name).target", elements: elements, channels: channels, std: 0.001,
                               rng: &rng)
        out = try Dense(store: store, name: "\(name).out", inputs: channels, outputs: channels, rng: &rng)
    }

    /// `radial` `[pairs, radialInputs]` (per unordered pair: `W_d b + b_d` is computed once per
    /// pair), `pair` the pair of every edge, element rows of every edge's source and target.
    func callAsFunction<T>(radial: Variable<T>, pair: [Int32], sourceRows: [Int32], targetRows: [Int32]) -> Variable<T> {
        let tape = radial.tape, k = T(ActivationNormalization.silu)
        let s = gatherRows(tape.parameter(source.weight), indices: sourceRows)
        let t = gatherRows(tape.parameter(target.weight), indices: targetRows)
        let h = silu(gatherRows(distance(radial), indices: pair) + s + t, scale: k)
        return silu(out(h), scale: k)
    }
}
