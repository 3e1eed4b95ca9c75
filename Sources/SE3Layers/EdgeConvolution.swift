import SE3Math
import SE3Tensor

/// The TFN convolution (seed eq. 5–7): per edge `e = (s → d)` a filter
/// `F = R(r_e) Y(r̂_e)` — `R` a `RadialMLP` on the radial embedding giving one weight per
/// path and channel, `Y` the edge spherical harmonics — is coupled with the source features
/// by the channel-wise CG tensor product, and messages are summed at the destination:
///
///     out[d] = (1/√avgNeighbors) Σ_{e: dst(e) = d} TP(x[src(e)], Y[e], R(emb[e]))      (TensorProduct)
///
/// `1/√avgNeighbors` (a constant, the mean number of incoming edges per node in the
/// training set) keeps the output at unit variance for unit-variance messages.
/// `messages(…)` gives the per-edge products (no sum) for attention models.
///
/// Parameters: those of `radial` (`"<name>.radial.w*"`).
public struct EdgeConvolution: Sendable {
    public let plan: TensorProductPlan
    public let radial: RadialMLP
    public let averageNeighbors: Double

    /// Builds the plan (per-edge weights) and registers the radial MLP
    /// (`radialInputs → radialHidden → radialHidden → P·C`). Throws `LayerError`.
    public init<T>(store: ParameterStore<T>, name: String, lmaxIn: Int, lmaxFilter: Int, lmaxOut: Int,
                   channels: Int, radialInputs: Int, radialHidden: Int = 64, averageNeighbors: Double,
                   rng: inout SeededGenerator) throws {
        try LayerError.check(averageNeighbors > 0 && averageNeighbors.isFinite, "EdgeConvolution \(name)",
                             "averageNeighbors", averageNeighbors, "must be > 0")
        plan = try TensorProductPlan(lmaxIn: lmaxIn, lmaxFilter: lmaxFilter, lmaxOut: lmaxOut,
                                     channels: channels, weightSharing: .perEdge)
        radial = try RadialMLP(store: store, name: "\(name).radial", inputs: radialInputs, hidden: radialHidden,
                               outputs: plan.weightsPerEdge, rng: &rng)
        self.averageNeighbors = averageNeighbors
    }

    /// Convolution: `x` `[N, M_in, C]`, `sh` `[E, M_f]`, `radialEmbedding` `[E, radialInputs]`,
    /// edges `sources[e] → destinations[e]`; returns `[nodeCount ?? N, M_out, C]`.
    public func callAsFunction<T>(_ x: SphericalFeatures<T>, sh: Variable<T>, radialEmbedding: Variable<T>,
                                  sources: [Int32], destinations: [Int32], nodeCount: Int? = nil) -> SphericalFeatures<T> {
        layerCheck(x.lmax == plan.lmaxIn && x.channels == plan.channels,
                   "EdgeConvolution: input lmax \(x.lmax), channels \(x.channels); expected \(plan.lmaxIn), \(plan.channels)")
        let w = radial(radialEmbedding)
        let y = TensorProduct.convolution(plan, input: x.variable, sources: sources, destinations: destinations,
                                          nodeCount: nodeCount ?? x.count, filter: sh, weights: w,
                                          scale: T(1 / averageNeighbors.squareRoot()))
        return SphericalFeatures(y, lmax: plan.lmaxOut, channels: plan.channels)
    }

    /// Per-edge messages `TP(x[src(e)], Y[e], R(emb[e]))`, `[E, M_out, C]` (no normalisation).
    public func messages<T>(_ x: SphericalFeatures<T>, sh: Variable<T>, radialEmbedding: Variable<T>,
                            sources: [Int32]) -> SphericalFeatures<T> {
        layerCheck(x.lmax == plan.lmaxIn && x.channels == plan.channels,
                   "EdgeConvolution: input lmax \(x.lmax), channels \(x.channels); expected \(plan.lmaxIn), \(plan.channels)")
        let w = radial(radialEmbedding)
        let y = TensorProduct.edges(plan, input: x.variable, sources: sources, filter: sh, weights: w)
        return SphericalFeatures(y, lmax: plan.lmaxOut, channels: plan.channels)
    }
}
