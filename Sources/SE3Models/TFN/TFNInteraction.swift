import SE3Layers
import SE3Math
import SE3Tensor

/// One TFN interaction layer (seed eq. 5–7, self-interaction, nonlinearity):
///
///     m_a  = (1/√n̄) Σ_{b ∈ N(a)} Σ_{(l_i, l_f → l_o)} R^{(l_i,l_f,l_o)}_c(r_ab) · (Y^{l_f}(r̂_ab) ⊗_CG V^{l_i}_{bc})^{l_o}   (eq. 5–7)
///     V'_a = V_a + η( Σ_c' W^{(l_o)}_{cc'} m_{ac'} + b^{(0)} )                                          (self-interaction, nonlinearity, skip)
///
/// `R` is the layer's radial MLP (`EdgeConvolution`) on the shared radial embedding, evaluated
/// once per atom pair (`EdgeInputs.pairs`), one weight per path and channel; `n̄` the average
/// neighbour count; the skip (`addingSkip`) acts on the degrees common to input and output.
/// Parameters: `"<name>.radial.w*"`, `"<name>.self_interaction.w<l>"`,
/// `"<name>.self_interaction.bias"` and the nonlinearity's (`TFNNonlinearity`).
struct TFNInteraction: Sendable {
    let convolution: EdgeConvolution
    let selfInteraction: EquivariantLinear
    let nonlinearity: TFNNonlinearity
    let lmaxIn: Int
    let lmaxOut: Int

    init<T>(store: ParameterStore<T>, name: String, lmaxIn: Int, lmaxFilter: Int, lmaxOut: Int,
            channels: Int, radialInputs: Int, radialHidden: Int, averageNeighbors: Double,
            nonlinearity: TFNConfig.Nonlinearity, rng: inout SeededGenerator) throws {
        self.lmaxIn = lmaxIn
        self.lmaxOut = lmaxOut
        convolution = try EdgeConvolution(store: store, name: name, lmaxIn: lmaxIn, lmaxFilter: lmaxFilter,
                                          lmaxOut: lmaxOut, channels: channels, radialInputs: radialInputs,
                                          radialHidden: radialHidden, averageNeighbors: averageNeighbors, rng: &rng)
        selfInteraction = try EquivariantLinear(store: store, name: "\(name).self_interaction", lmaxIn: lmaxOut,
                                                channelsIn: channels, channelsOut: channels, rng: &rng)
        self.nonlinearity = try TFNNonlinearity(kind: nonlinearity, store: store, name: name, lmax: lmaxOut,
                                                channels: channels, rng: &rng)
    }

    /// `x` `[N, (lmaxIn+1)², C]` → `[N, (lmaxOut+1)², C]`.
    func callAsFunction<T>(_ x: SphericalFeatures<T>, edges: EdgeInputs<T>) -> SphericalFeatures<T> {
        let m = convolution(x, sh: edges.sphericalHarmonics, radialEmbedding: edges.radialEmbedding,
                            sources: edges.sources, destinations: edges.destinations, weightRows: edges.pairs.pair)
        return nonlinearity(selfInteraction(m)).addingSkip(x)
    }
}
