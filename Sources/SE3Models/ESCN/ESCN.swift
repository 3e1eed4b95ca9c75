import SE3Layers
import SE3Math
import SE3Tensor

/// eSCN (Passaro & Zitnick 2023; seed eq. 13–16; structure as fairchem's `models/escn/escn.py`)
/// over `AtomGraph` batches:
///
///     x⁰_a   = (E[z_a] on l = 0, zeros on l > 0)                        `[N, (lmax+1)², C]`
///     m      = MessageBlock_k(x)                                        (ESCNMessageBlock: SO(2) convolutions in edge frames)
///     x      = NodeBlock_k(x, m)          for k = 0,                     (ESCNNodeBlock: an MLP on the sphere grid)
///     x      = x + NodeBlock_k(x, m)      for k = 1…layers−1
///     outputs = heads(x)                                                (ESCNSphereHead on sphere samples, or OutputHeads)
///
/// Edge frames `D(R_e)` are computed once per forward from the positions on the tape (so position
/// gradients exist), with the roll of `Rotation.aligning` (the SO(2) convolutions do not depend on
/// it; the grid activations only up to their quadrature error). Parameter names: `embedding.weight`,
/// `layers.<k>.message.*`, `layers.<k>.node.*`, `heads.<name>.*`.
public final class ESCN<T: TensorScalar>: GraphModel {
    public typealias Scalar = T
    public let config: ModelConfig
    public let store: ParameterStore<T>
    public let outputs: [OutputSpec]

    let escn: ESCNConfig
    let embedding: AtomEmbedding
    let radial: RadialEmbedding
    let layout: EdgeFrameLayout
    let messageGrid: SphereGrid
    let nodeGrid: SphereGrid
    let messages: [ESCNMessageBlock]
    let nodes: [ESCNNodeBlock]
    /// Per output: a sphere head, or the shared head (rank-2 outputs, `heads: shared`).
    let sphereHeads: [ESCNSphereHead]
    let sharedHeads: OutputHeads
    let sharedSpecs: [OutputSpec]

    init(common: CommonModelConfig, config: ESCNConfig, outputs: [OutputSpec], seed: UInt64) throws {
        self.config = ModelConfig(config, common: common)
        self.escn = config
        self.outputs = outputs
        let store = ParameterStore<T>()
        self.store = store
        var rng = SeededGenerator(seed: seed)
        let L = config.lmax, C = config.sphereChannels
        radial = try RadialEmbedding(common)
        layout = EdgeFrameLayout(lmax: L, mmax: config.mmax)
        let (mlat, mlon) = config.messageGrid, (nlat, nlon) = config.nodeGrid
        messageGrid = try SphereGrid(coefficients: SphereGrid.edgeCoefficients(layout), latitudes: mlat, longitudes: mlon)
        nodeGrid = try SphereGrid(coefficients: SphereGrid.nodeCoefficients(lmax: L), latitudes: nlat, longitudes: nlon)
        embedding = AtomEmbedding(store: store, elements: common.elements, channels: C, rng: &rng)
        var ms: [ESCNMessageBlock] = [], ns: [ESCNNodeBlock] = []
        let moment = radial.meanSquaredNorm
        for k in 0..<config.layers {
            ms.append(try ESCNMessageBlock(store: store, name: "layers.\(k).message", config: config, layout: layout,
                                           grid: messageGrid, radialInputs: radial.count, radialSecondMoment: moment,
                                           elements: common.elements, rng: &rng))
            ns.append(try ESCNNodeBlock(store: store, name: "layers.\(k).node", channels: C, grid: nodeGrid, rng: &rng))
        }
        messages = ms
        nodes = ns
        var sphere: [ESCNSphereHead] = [], shared: [OutputSpec] = []
        let quadrature = ESCNSphereHead.quadrature(config.sphereSamples)
        for o in outputs {
            if config.heads == .sphere && o.kind != .rank2 {
                sphere.append(try ESCNSphereHead(spec: o, store: store, channels: C, readout: common.readout, lmax: L,
                                                 quadrature: quadrature, rng: &rng))
            } else {
                shared.append(o)
            }
        }
        sphereHeads = sphere
        sharedSpecs = shared
        sharedHeads = OutputHeads(shared, store: store, channels: C, readout: common.readout, rng: &rng)
    }
}
