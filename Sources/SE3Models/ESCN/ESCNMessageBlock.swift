import SE3Layers
import SE3Math
import SE3Tensor

/// eSCN's message block (seed eq. 13–16; fairchem's `MessageBlock`): for every edge `s → t`
///
///     x̃_s = D(R_e) x_s,   x̃_t = D(R_e) x_t           in the edge frame, orders |m| ≤ mmax (EdgeFrames.rotate)
///     ỹ   = SO2_src(x̃_s, h_e) + SO2_tgt(x̃_t, h_e)     (SO2Convolution, edge embedding h_e: ESCNEdgeBlock)
///     z̃   = S²-activation(ỹ)                          (SphereGrid.activation on the edge-frame grid)
///     m_t = (1/√n̄) Σ_{e → t} D(R_e)ᵀ z̃_e             (EdgeFrames.rotateBack)
///
/// all but the edge embedding in one fused op (`EdgeFrameMessages`). Parameters `"<name>.edge.*"`,
/// `"<name>.source.*"`, `"<name>.target.*"`.
struct ESCNMessageBlock: Sendable {
    let edge: ESCNEdgeBlock
    let source: SO2Convolution
    let target: SO2Convolution
    let messages: EdgeFrameMessages

    init<T>(store: ParameterStore<T>, name: String, config: ESCNConfig, layout: EdgeFrameLayout, grid: SphereGrid,
            radialInputs: Int, radialSecondMoment: Double, elements: [Int], rng: inout SeededGenerator) throws {
        edge = try ESCNEdgeBlock(store: store, name: "\(name).edge", radialInputs: radialInputs,
                                 radialSecondMoment: radialSecondMoment, elements: elements,
                                 channels: config.edgeChannels, rng: &rng)
        source = try SO2Convolution(store: store, name: "\(name).source", layout: layout, channelsIn: config.sphereChannels,
                                    channelsOut: config.sphereChannels, hidden: config.hiddenChannels,
                                    edgeChannels: config.edgeChannels, rng: &rng)
        target = try SO2Convolution(store: store, name: "\(name).target", layout: layout, channelsIn: config.sphereChannels,
                                    channelsOut: config.sphereChannels, hidden: config.hiddenChannels,
                                    edgeChannels: config.edgeChannels, rng: &rng)
        messages = EdgeFrameMessages(source: source, target: target, grid: grid)
    }

    /// `scalarInput`: `x` holds only `l = 0` (the first layer).
    func callAsFunction<T>(_ x: SphericalFeatures<T>, frames: ESCNFrames<T>, scalarInput: Bool = false) -> SphericalFeatures<T> {
        let h = edge(radial: frames.radial, pair: frames.pair, sourceRows: frames.sourceElements, targetRows: frames.targetElements)
        let m = messages(x.variable, rotations: frames.rotations, edge: h, sources: frames.sources,
                         destinations: frames.destinations, scale: T(1 / frames.averageNeighbors.squareRoot()),
                         scalarInput: scalarInput)
        return SphericalFeatures(m, lmax: x.lmax, channels: x.channels)
    }
}

/// Everything eSCN's layers share about the edges of one forward pass.
struct ESCNFrames<T: TensorScalar> {
    let sources: [Int32]
    let destinations: [Int32]
    let sourceElements: [Int32]
    let targetElements: [Int32]
    /// `[pairs, radial.count]`: the radial embedding of every unordered pair, and the pair of every edge.
    let radial: Variable<T>
    let pair: [Int32]
    /// `[E, WignerD.blockSize(lmax)]`.
    let rotations: Variable<T>
    let layout: EdgeFrameLayout
    let averageNeighbors: Double
}
