import SE3Layers
import SE3Math
import SE3Tensor

/// A TFN-type convolution with channel-mixing kernels (seed eq. 8–10), the SE(3)-Transformer's
/// building block for its input and output convolutions and for keys and values:
///
///     W^{lk}(x) = Σ_{J=|k−l|}^{k+l} φ_J^{lk}(|x|) Σ_m Y_{Jm}(x̂) Q_{Jm}^{lk}                     (eq. 9)
///     m_e^l     = Σ_k W^{lk}(x_e) f^k_{src(e)}             (`uvw` paths: φ is a C_out × C_in matrix)
///     out_i     = (1/√n̄) Σ_{e → i} m_e + W_self f_i         (aggregated, with self-interaction)
///     out_e     = m_e                                      (per edge: keys and values)
///
/// All paths' `φ` come from ONE radial network per convolution (`RadialMLP`: radial embedding →
/// hidden → hidden, with layer norms, biases and ReLU as NVIDIA's radial profile), evaluated once
/// per atom pair and multiplied by the cutoff envelope (so messages vanish smoothly at the cutoff
/// despite the biases). Its output layer runs inside `TensorProduct.pairConvolution`, in chunks of
/// pairs. Parameters: `"<name>.radial.*"`, `"<name>.self_interaction.*"`.
struct SE3TConvolution: Sendable {
    let plan: TensorProductPlan
    let radial: RadialMLP
    let selfInteraction: EquivariantLinear?
    let aggregates: Bool
    let averageNeighbors: Double

    /// `selfInteraction`: `(lmaxIn, lmaxOut, channelsIn, channelsOut)` of the linear map added to
    /// aggregated outputs (nil: none).
    init<T>(store: ParameterStore<T>, name: String, irrepsIn: Irreps, irrepsOut: Irreps, filter: Irreps,
            radialInputs: Int, radialHidden: Int, layerNorm: Bool, aggregates: Bool, averageNeighbors: Double,
            selfInteraction: (Int, Int, Int, Int)?, rng: inout SeededGenerator) throws {
        plan = try TensorProductPlan(irrepsIn: irrepsIn, irrepsFilter: filter, irrepsOut: irrepsOut,
                                     instructions: TensorProductPlan.allowedInstructions(irrepsIn: irrepsIn, irrepsFilter: filter,
                                                                                         irrepsOut: irrepsOut, mode: .uvw))
        guard plan.pathCount > 0 else {
            throw LayerError.invalidArgument(layer: "SE3TConvolution \(name)", field: "plan", value: "\(irrepsIn) → \(irrepsOut)",
                                             reason: "has no paths")
        }
        radial = try RadialMLP(store: store, name: "\(name).radial", inputs: radialInputs, hidden: radialHidden,
                               outputs: plan.weightsPerEdge, activation: .relu, layerNorm: layerNorm, bias: layerNorm, rng: &rng)
        if let (li, lo, ci, co) = selfInteraction {
            self.selfInteraction = try EquivariantLinear(store: store, name: "\(name).self_interaction", lmaxIn: li,
                                                         lmaxOut: lo, channelsIn: ci, channelsOut: co, rng: &rng)
        } else {
            self.selfInteraction = nil
        }
        self.aggregates = aggregates
        self.averageNeighbors = averageNeighbors
    }

    /// `x` `[N, M_in, C_in]` → `[N, M_out, C_out]` (aggregated) or `[E, irrepsOut.dim]` (per edge).
    func callAsFunction<T>(_ x: SphericalFeatures<T>, edges: EdgeInputs<T>, envelope: Variable<T>) -> Variable<T> {
        let tape = x.tape
        let hidden = mulColumn(radial.hiddenFeatures(edges.radialEmbedding), envelope)
        let N = x.count
        let y = TensorProduct.pairConvolution(plan, input: x.variable, sources: edges.sources,
                                              destinations: aggregates ? edges.destinations : nil, nodeCount: N,
                                              filter: edges.sphericalHarmonics, hidden: hidden,
                                              lastWeight: tape.parameter(radial.lastWeight), lastScale: T(radial.lastScale),
                                              pairs: edges.pairs.pair, scale: T(aggregates ? 1 / averageNeighbors.squareRoot() : 1))
        guard aggregates else { return y }
        let shaped = reshape(y, [N] + plan.outputRowShape)
        guard let selfInteraction else { return shaped }
        return shaped + selfInteraction(x).variable
    }
}
