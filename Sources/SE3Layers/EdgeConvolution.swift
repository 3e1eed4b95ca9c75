import SE3Core
import SE3Math
import SE3Tensor

/// The TFN convolution (seed eq. 5–7): per edge `e = (s → d)` a filter
/// `F = R(r_e) Y(r̂_e)` — `R` a `RadialMLP` on the radial embedding giving the plan's weights,
/// `Y` the edge spherical harmonics — is coupled with the source features by the CG tensor
/// product, and messages are summed at the destination:
///
///     out[d] = (1/√avgNeighbors) Σ_{e: dst(e) = d} TP(x[src(e)], Y[e], R(emb[row(e)]))      (TensorProduct)
///
/// The radial embedding has one row per edge, or one per atom pair with `weightRows[e]` the pair
/// of edge `e` (both directed edges of a pair have the same length, so the MLP runs once per
/// pair). `1/√avgNeighbors` (a constant, the mean number of incoming edges per node in the
/// training set) keeps the output at unit variance for unit-variance messages.
/// `messages(…)` gives the per-edge products (no sum) for attention models.
///
/// Parameters: those of `radial` (`"<name>.radial.w*"`).
public struct EdgeConvolution: Sendable {
    public let plan: TensorProductPlan
    public let radial: RadialMLP
    public let averageNeighbors: Double

    /// Uniform TFN plan (per-edge weights) and the radial MLP
    /// (`radialInputs → radialHidden → radialHidden → plan.weightsPerEdge`). Throws `LayerError`.
    public init<T>(store: ParameterStore<T>, name: String, lmaxIn: Int, lmaxFilter: Int, lmaxOut: Int,
                   channels: Int, radialInputs: Int, radialHidden: Int = 64, averageNeighbors: Double,
                   rng: inout SeededGenerator) throws {
        try self.init(store: store, name: name,
                      plan: try TensorProductPlan(lmaxIn: lmaxIn, lmaxFilter: lmaxFilter, lmaxOut: lmaxOut,
                                                  channels: channels, weightSharing: .perEdge),
                      radialInputs: radialInputs, radialHidden: radialHidden, averageNeighbors: averageNeighbors, rng: &rng)
    }

    /// Any per-edge plan and its radial MLP. Throws `LayerError`.
    public init<T>(store: ParameterStore<T>, name: String, plan: TensorProductPlan, radialInputs: Int,
                   radialHidden: Int = 64, averageNeighbors: Double, rng: inout SeededGenerator) throws {
        try LayerError.check(averageNeighbors > 0 && averageNeighbors.isFinite, "EdgeConvolution \(name)",
                             "averageNeighbors", averageNeighbors, "must be > 0")
        try LayerError.check(plan.weightSharing == .perEdge, "EdgeConvolution \(name)", "plan", plan.weightSharing,
                             "needs per-edge weights")
        try LayerError.check(plan.pathCount > 0, "EdgeConvolution \(name)", "plan", "\(plan.irrepsIn) → \(plan.irrepsOut)",
                             "has no paths")
        self.plan = plan
        radial = try RadialMLP(store: store, name: "\(name).radial", inputs: radialInputs, hidden: radialHidden,
                               outputs: plan.weightsPerEdge, rng: &rng)
        self.averageNeighbors = averageNeighbors
    }

    /// Convolution: `x` `[N, …]` (`plan.inputDimension` values per row), `sh` `[E, D_f]`,
    /// `radialEmbedding` `[R, radialInputs]` (`R = E` without `weightRows`), edges
    /// `sources[e] → destinations[e]`; returns `[nodeCount ?? N] + plan.outputRowShape`.
    public func callAsFunction<T>(_ x: Variable<T>, sh: Variable<T>, radialEmbedding: Variable<T>,
                                  sources: [Int32], destinations: [Int32], weightRows: [Int32]? = nil,
                                  nodeCount: Int? = nil) -> Variable<T> {
        TensorProduct.convolution(plan, input: x, sources: sources, destinations: destinations,
                                  nodeCount: nodeCount ?? x.shape[0], filter: sh, weights: weights(radialEmbedding),
                                  weightRows: weightRows, scale: T(1 / averageNeighbors.squareRoot()))
    }

    /// The same on `SphericalFeatures` (uniform plans).
    public func callAsFunction<T>(_ x: SphericalFeatures<T>, sh: Variable<T>, radialEmbedding: Variable<T>,
                                  sources: [Int32], destinations: [Int32], weightRows: [Int32]? = nil,
                                  nodeCount: Int? = nil) -> SphericalFeatures<T> {
        require(x.irreps == plan.irrepsIn, "EdgeConvolution: input \(x.irreps), expected \(plan.irrepsIn)")
        let y = self(x.variable, sh: sh, radialEmbedding: radialEmbedding, sources: sources,
                     destinations: destinations, weightRows: weightRows, nodeCount: nodeCount)
        return SphericalFeatures(y, lmax: plan.irrepsOut.lmax, channels: plan.channels)
    }

    /// Per-edge messages `TP(x[src(e)], Y[e], R(emb[row(e)]))`, `[E] + outputRowShape` (no normalisation).
    public func messages<T>(_ x: Variable<T>, sh: Variable<T>, radialEmbedding: Variable<T>,
                            sources: [Int32], weightRows: [Int32]? = nil) -> Variable<T> {
        TensorProduct.edges(plan, input: x, sources: sources, filter: sh, weights: weights(radialEmbedding),
                            weightRows: weightRows)
    }

    /// The radial weights `[R, weightsPerEdge]`.
    public func weights<T>(_ radialEmbedding: Variable<T>) -> Variable<T> { radial(radialEmbedding) }
}
