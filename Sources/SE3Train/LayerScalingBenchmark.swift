import Foundation
import SE3Data
import SE3Layers
import SE3Math
import SE3Models
import SE3Tensor

/// `se3 bench escn-layer`: how one eSCN message layer and the full Clebsch–Gordan convolution it
/// replaces grow with the degree (seed eq. 13–16). One graph — the first `molecules` structures of a
/// dataset, radius graph with `cutoff` — and, for each `lmax`, the forward and backward pass
/// (`Tape.backward` with a seed of ones: ∂x and every parameter's gradient) in Float32:
///
/// - **eSCN** (`so2`, at `mmax = min(2, lmax)` and at `mmax = lmax`): the edge frames `D(R_e)` from the
///   edge vectors (`EdgeFrames.rotations`), the edge embedding `h_e = k·SiLU(W b(|v_e|) + c)` on 8 Bessel
///   functions with the p = 6 envelope, then `EdgeFrameMessages` as an eSCN layer runs it: rotate the
///   source and target features into the edge frame (`|m| ≤ mmax`), two SO(2) convolutions
///   `C → hidden → C` per order modulated by `h_e`, the S² SiLU on fairchem's edge grid
///   (`ESCNConfig.messageGrid`), rotate back, sum over neighbours. Per edge the rotations cost
///   `Σ_l (2l+1)·(2·min(l, mmax)+1)·C` and the convolutions `Σ_{m ≤ mmax} (L−m+1)·C·hidden`
///   multiply–adds: O(L³) at `mmax = L`, O(L²) at fixed `mmax`.
/// - **TP** (`tp`): the convolution eSCN replaces: spherical harmonics to `lmax` of the edge vectors,
///   then `C` channels of every degree `0…lmax` (natural parity) ⊗ `Y^0…Y^lmax` → the same irreps with
///   every allowed `(l1, lf, lo)` path in `uvw` mode (`C × C` weights per path and atom pair, made
///   by a radial MLP 8 → 64 → 64 → paths·C² in chunks: `TensorProduct.pairConvolution`), summed
///   over neighbours — e3nn's `FullyConnectedTensorProduct` with per-edge weights. O(L⁶): O(L³) paths
///   of O(L²) CG entries, each path `C²` weights. Once one TP step takes longer than
///   `tpMaxSeconds`, larger degrees skip it.
///
/// Each timed mode runs once to warm up, then `repeats` times; rows hold the mean in ms.
public struct LayerScalingBenchmark: Sendable {
    public struct Row: Sendable {
        public var lmax: Int
        public var so2FixedMs: Double
        /// `min(2, lmax)`.
        public var so2FixedMmax: Int
        public var so2FullMs: Double
        public var so2FixedParameters: Int
        public var so2FullParameters: Int
        public var tpMs: Double?
        public var tpPaths: Int
        public var tpWeightsPerEdge: Int
        public var tpParameters: Int

        public var json: [String: Any] {
            var j: [String: Any] = ["bench": "escn-layer", "lmax": lmax, "so2_mmax2_ms": so2FixedMs, "so2_mmaxL_ms": so2FullMs,
                                    "so2_mmax2_parameters": so2FixedParameters, "so2_mmaxL_parameters": so2FullParameters,
                                    "tp_paths": tpPaths,
                                    "tp_weights_per_edge": tpWeightsPerEdge, "tp_parameters": tpParameters]
            j["tp_ms"] = tpMs.map { $0 as Any } ?? NSNull()
            return j
        }
    }

    public var channels = 32
    public var hidden = 64
    public var edgeChannels = 32
    public var repeats = 3
    public var tpMaxSeconds = 60.0
    public let graph: AtomGraph
    public let cutoff: Double

    /// The first `molecules` structures of the dataset at `path` as one radius graph.
    public init(dataPath: String, molecules: Int, cutoff: Double) throws {
        let data = try Dataset(path: dataPath)
        let n = min(molecules, data.count)
        self.cutoff = cutoff
        graph = AtomGraph(try BatchBuilder(cutoff: cutoff).build(try data.read(0..<n), context: dataPath))
    }

    /// One row per degree, in order; `progress` sees each row as it is measured.
    public func run(lmaxValues: [Int], seed: UInt64 = 1, progress: (Row) -> Void = { _ in }) throws -> [Row] {
        let E = graph.edgeCount, N = graph.atomCount
        let vectors = graph.edgeVectors
        let flat = Tensor<Float>(shape: [E, 3], scalars: vectors.flatMap { [Float($0.x), Float($0.y), Float($0.z)] })
        let pairs = EdgePairs(graph)
        let lengths = pairs.representative.map { e -> Double in let v = vectors[Int(e)]; return (v * v).sum().squareRoot() }
        let pairTable = try BesselBasis(count: 8, cutoff: cutoff).table(lengths: lengths, envelope: try PolynomialEnvelope(p: 6),
                                                                        as: Float.self).values
        let edgeTable = Tensor<Float>(shape: [E, 8], scalars: pairs.pair.flatMap { p in (0..<8).map { pairTable.scalars[Int(p) * 8 + $0] } })
        let averageNeighbors = Double(E) / Double(max(N, 1))
        var rows: [Row] = []
        var skipTP = false
        for L in lmaxValues {
            let M = (L + 1) * (L + 1)
            var rng = SeededGenerator(seed: seed)
            let x = Tensor<Float>.randomNormal(shape: [N, M, channels], using: &rng)
            let fixed = min(2, L)
            let (so2Fixed, pFixed) = try timeSO2(L: L, mmax: fixed, x: x, flat: flat, vectors: vectors, edgeTable: edgeTable,
                                                 averageNeighbors: averageNeighbors, seed: seed)
            let (so2Full, pFull) = fixed == L ? (so2Fixed, pFixed)
                : try timeSO2(L: L, mmax: L, x: x, flat: flat, vectors: vectors, edgeTable: edgeTable,
                              averageNeighbors: averageNeighbors, seed: seed)
            let irreps = Irreps.uniform(channels: channels, lmax: L), filter = Irreps.spherical(lmax: L)
            let plan = try TensorProductPlan(irrepsIn: irreps, irrepsFilter: filter, irrepsOut: irreps,
                                             instructions: TensorProductPlan.allowedInstructions(irrepsIn: irreps, irrepsFilter: filter,
                                                                                                 irrepsOut: irreps, mode: .uvw))
            var tpMs: Double?, tpParameters = 0
            if !skipTP {
                let store = ParameterStore<Float>()
                var r = SeededGenerator(seed: seed)
                let radial = try RadialMLP(store: store, name: "tp.radial", inputs: 8, hidden: 64, outputs: plan.weightsPerEdge,
                                           activation: .silu, rng: &r)
                tpParameters = store.count
                let (mean, slowest) = time {
                    let tape = Tape<Float>(store: store)
                    let xv = tape.variable(x)
                    let sh = EdgeGeometry.sphericalHarmonics(tape.constant(flat), exact: vectors, lmax: L)
                    let out = TensorProduct.pairConvolution(plan, input: xv, sources: graph.edgeSource,
                                                            destinations: graph.edgeDestination, nodeCount: N, filter: sh,
                                                            hidden: radial.hiddenFeatures(tape.constant(pairTable)),
                                                            lastWeight: tape.parameter(radial.lastWeight),
                                                            lastScale: Float(radial.lastScale), pairs: pairs.pair,
                                                            scale: Float(1 / averageNeighbors.squareRoot()))
                    tape.backward(out, seed: Tensor(repeating: 1, shape: out.shape))
                }
                tpMs = mean * 1e3
                skipTP = slowest > tpMaxSeconds
            }
            let row = Row(lmax: L, so2FixedMs: so2Fixed * 1e3, so2FixedMmax: fixed, so2FullMs: so2Full * 1e3,
                          so2FixedParameters: pFixed, so2FullParameters: pFull, tpMs: tpMs, tpPaths: plan.pathCount,
                          tpWeightsPerEdge: plan.weightsPerEdge, tpParameters: tpParameters)
            progress(row)
            rows.append(row)
        }
        return rows
    }

    /// Mean seconds of one eSCN message layer (forward + backward), and its parameter count.
    func timeSO2(L: Int, mmax: Int, x: Tensor<Float>, flat: Tensor<Float>, vectors: [SIMD3<Double>], edgeTable: Tensor<Float>,
                 averageNeighbors: Double, seed: UInt64) throws -> (Double, Int) {
        let store = ParameterStore<Float>()
        var rng = SeededGenerator(seed: seed)
        let layout = EdgeFrameLayout(lmax: L, mmax: mmax)
        let embed = try Dense(store: store, name: "edge", inputs: 8, outputs: edgeChannels, rng: &rng)
        func conv(_ name: String) throws -> SO2Convolution {
            try SO2Convolution(store: store, name: name, layout: layout, channelsIn: channels, channelsOut: channels,
                               hidden: hidden, edgeChannels: edgeChannels, rng: &rng)
        }
        let (lat, lon) = ESCNConfig(lmax: L, mmax: mmax).messageGrid
        let grid = try SphereGrid(coefficients: SphereGrid.edgeCoefficients(layout), latitudes: lat, longitudes: lon)
        let messages = EdgeFrameMessages(source: try conv("source"), target: try conv("target"), grid: grid)
        let k = Float(ActivationNormalization.silu), scale = Float(1 / averageNeighbors.squareRoot())
        let (mean, _) = time {
            let tape = Tape<Float>(store: store)
            let rotations = EdgeFrames.rotations(tape.constant(flat), exact: vectors, lmax: L)
            let h = silu(embed(tape.constant(edgeTable)), scale: k)
            let out = messages(tape.variable(x), rotations: rotations, edge: h, sources: graph.edgeSource,
                               destinations: graph.edgeDestination, scale: scale)
            tape.backward(out, seed: Tensor(repeating: 1, shape: out.shape))
        }
        return (mean, store.count)
    }

    /// Warm-up, then `repeats` timed runs: (mean, slowest) seconds.
    func time(_ body: () -> Void) -> (Double, Double) {
        body()
        let clock = ContinuousClock()
        var total = 0.0, slowest = 0.0
        for _ in 0..<repeats {
            let start = clock.now
            body()
            let d = clock.now - start
            let s = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            total += s
            slowest = max(slowest, s)
        }
        return (total / Double(repeats), slowest)
    }
}
