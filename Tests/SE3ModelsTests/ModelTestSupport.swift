import SE3Math
import SE3Models
import SE3Tensor
import XCTest

/// Random small molecules for model tests: atoms uniformly in a cube, directed edges between
/// every pair closer than `cutoff` (each kept with probability `keep`, so the graphs are not
/// symmetric in general: some edges have no reverse), `edgeVectors = r[src] − r[dst]` (no
/// periodic shift).
struct RandomMolecules {
    var graph: AtomGraph
    var positions: [SIMD3<Double>]

    init(rng: inout SeededGenerator, graphs: Int, atoms: ClosedRange<Int>, elements: [Int],
         box: Double = 3.0, cutoff: Double = 2.5, keep: Double = 0.85, minDistance: Double = 0.7) {
        var z: [Int32] = [], owner: [Int32] = [], pos: [SIMD3<Double>] = []
        var src: [Int32] = [], dst: [Int32] = [], vec: [SIMD3<Double>] = []
        for g in 0..<graphs {
            let n = Int.random(in: atoms, using: &rng)
            let first = pos.count
            var placed: [SIMD3<Double>] = []
            while placed.count < n {
                let p = SIMD3(Double.random(in: 0..<box, using: &rng), Double.random(in: 0..<box, using: &rng),
                              Double.random(in: 0..<box, using: &rng))
                if placed.allSatisfy({ (($0 - p) * ($0 - p)).sum().squareRoot() >= minDistance }) { placed.append(p) }
            }
            for p in placed {
                pos.append(p)
                z.append(Int32(elements[Int.random(in: 0..<elements.count, using: &rng)]))
                owner.append(Int32(g))
            }
            for i in first..<pos.count {
                for j in first..<pos.count where i != j {
                    let v = pos[i] - pos[j]
                    if (v * v).sum().squareRoot() < cutoff, Double.random(in: 0..<1, using: &rng) < keep {
                        src.append(Int32(i)); dst.append(Int32(j)); vec.append(v)
                    }
                }
            }
        }
        graph = AtomGraph(atomicNumbers: z, atomGraph: owner, graphCount: graphs, positions: pos,
                          edgeSource: src, edgeDestination: dst)
        precondition(graph.edgeVectors == vec)
        positions = pos
    }
}

/// Every head kind at both levels (plus an extensive graph scalar).
let allOutputs: [OutputSpec] = [
    OutputSpec(name: "energy", level: .graph, kind: .scalar, extensive: true),
    OutputSpec(name: "gap", level: .graph, kind: .scalar),
    OutputSpec(name: "dipole", level: .graph, kind: .vector),
    OutputSpec(name: "polarizability", level: .graph, kind: .rank2),
    OutputSpec(name: "charge", level: .atom, kind: .scalar),
    OutputSpec(name: "force", level: .atom, kind: .vector),
    OutputSpec(name: "shielding", level: .atom, kind: .rank2),
]

func runModel(_ model: any GraphModel<Double>, _ graph: AtomGraph) throws -> [String: Tensor<Double>] {
    let tape = Tape<Double>(store: model.store)
    return try model.forward(graph, tape: tape).mapValues(\.value)
}

/// `R v` for every row of a `[n, 3]` tensor.
func rotateVectors(_ t: Tensor<Double>, _ r: Rotation) -> Tensor<Double> {
    var out = t
    for i in 0..<t.shape[0] {
        let v = r * SIMD3(t.scalars[3 * i], t.scalars[3 * i + 1], t.scalars[3 * i + 2])
        out.scalars[3 * i] = v.x; out.scalars[3 * i + 1] = v.y; out.scalars[3 * i + 2] = v.z
    }
    return out
}

/// `R T Rᵀ` for every row of a `[n, 9]` tensor (row-major 3×3).
func rotateMatrices(_ t: Tensor<Double>, _ r: Rotation) -> Tensor<Double> {
    var out = t
    for n in 0..<t.shape[0] {
        let m = Array(t.scalars[(9 * n)..<(9 * n + 9)])
        for i in 0..<3 {
            for j in 0..<3 {
                var s = 0.0
                for a in 0..<3 { for b in 0..<3 { s += r[i, a] * m[3 * a + b] * r[j, b] } }
                out.scalars[9 * n + 3 * i + j] = s
            }
        }
    }
    return out
}

/// `max |a − b| / max(1, max |b|)`.
func relativeError(_ a: Tensor<Double>, _ b: Tensor<Double>) -> Double {
    let scale = max(1, b.scalars.map(Swift.abs).max() ?? 0)
    return a.maxAbsDifference(b) / scale
}

/// A TFN config: `ModelConfig(TFNConfig(…), common: CommonModelConfig(…))` with small defaults.
func tfnConfig(lmax: Int, channels: Int = 4, layers: Int = 2, nonlinearity: TFNConfig.Nonlinearity = .norm,
               cutoff: Double = 2.5, radialBasis: RadialBasisKind = .bessel, radialCount: Int = 5, radialHidden: Int = 8,
               elements: [Int] = [1, 6, 8], readout: Readout = .mean, averageNeighbors: Double? = 3) -> ModelConfig {
    ModelConfig(TFNConfig(lmax: lmax, channels: channels, layers: layers, radialHidden: radialHidden, nonlinearity: nonlinearity),
                common: CommonModelConfig(elements: elements, cutoff: cutoff, radialBasis: radialBasis, radialCount: radialCount,
                                          readout: readout, averageNeighbors: averageNeighbors))
}

func smallConfig(lmax: Int, nonlinearity: TFNConfig.Nonlinearity, channels: Int = 4, layers: Int = 2) -> ModelConfig {
    tfnConfig(lmax: lmax, channels: channels, layers: layers, nonlinearity: nonlinearity)
}

/// An SE(3)-Transformer config with small defaults.
func se3tConfig(lmax: Int, channels: Int = 4, layers: Int = 1, heads: Int = 2, div: Int = 1,
                symmetry: SE3TransformerConfig.Symmetry = .e3, nonlinearity: SE3TransformerConfig.Nonlinearity = .normSE3,
                radialHidden: Int = 6, radialLayerNorm: Bool = true, cutoff: Double = 2.5, readout: Readout = .mean,
                averageNeighbors: Double? = 3, selfInteraction: SE3TransformerConfig.SelfInteraction = .linear) -> ModelConfig {
    ModelConfig(SE3TransformerConfig(lmax: lmax, channels: channels, layers: layers, heads: heads, div: div,
                                     radialHidden: radialHidden, radialLayerNorm: radialLayerNorm, symmetry: symmetry,
                                     nonlinearity: nonlinearity, selfInteraction: selfInteraction),
                common: CommonModelConfig(elements: [1, 6, 8], cutoff: cutoff, radialCount: 5, readout: readout,
                                          averageNeighbors: averageNeighbors))
}

/// Every parameter that starts at zero (biases, shifts) moved to a generic value, so that no
/// gradient path is checked only at a special point.
func perturbZeroParameters<T>(_ store: ParameterStore<T>, seed: UInt64) {
    var rng = SeededGenerator(seed: seed)
    for i in 0..<store.count where store.values[i] == 0 { store.values[i] = T(0.3 * rng.nextGaussian()) }
}

/// An eSCN config with small defaults (grids: fairchem's unless given).
func escnConfig(lmax: Int, mmax: Int, channels: Int = 4, hidden: Int = 5, edgeChannels: Int = 3, layers: Int = 2,
                latitudes: Int? = nil, longitudes: Int? = nil, samples: Int = 128, heads: ESCNConfig.Heads = .sphere,
                cutoff: Double = 2.5, readout: Readout = .mean, averageNeighbors: Double? = 3) -> ModelConfig {
    ModelConfig(ESCNConfig(lmax: lmax, mmax: mmax, sphereChannels: channels, hiddenChannels: hidden, edgeChannels: edgeChannels,
                           layers: layers, gridLatitudes: latitudes, gridLongitudes: longitudes, sphereSamples: samples, heads: heads),
                common: CommonModelConfig(elements: [1, 6, 8], cutoff: cutoff, radialBasis: .gaussian, radialCount: 6,
                                          readout: readout, averageNeighbors: averageNeighbors))
}

/// A triclinic cell (about 3.1 × 2.9 × 3.3 Å) with 4 atoms and every edge shorter than 2.5 Å to
/// the neighbouring images (lattice shifts −1…1): periodic edges in both directions.
func periodicTestCell() -> AtomGraph {
    let cell: [SIMD3<Double>] = [SIMD3(3.1, 0, 0), SIMD3(0.4, 2.9, 0), SIMD3(-0.3, 0.2, 3.3)]
    let positions: [SIMD3<Double>] = [SIMD3(0.1, 0.2, 0.3), SIMD3(1.5, 1.1, 0.9), SIMD3(0.7, 2.2, 2.4), SIMD3(2.6, 0.4, 1.9)]
    var src: [Int32] = [], dst: [Int32] = [], shifts: [SIMD3<Int32>] = []
    for i in 0..<4 {
        for j in 0..<4 {
            for a in -1...1 { for b in -1...1 { for c in -1...1 {
                let n = SIMD3<Int32>(Int32(a), Int32(b), Int32(c))
                if i == j && n == .zero { continue }
                let v = positions[j] + Double(a) * cell[0] + Double(b) * cell[1] + Double(c) * cell[2] - positions[i]
                if (v * v).sum().squareRoot() < 2.5 { src.append(Int32(j)); dst.append(Int32(i)); shifts.append(n) }
            } } }
        }
    }
    return AtomGraph(atomicNumbers: [8, 1, 6, 1], atomGraph: [0, 0, 0, 0], graphCount: 1, positions: positions,
                     cells: cell, edgeSource: src, edgeDestination: dst, edgeShifts: shifts)
}
