import SE3Math
import SE3Models
import SE3Tensor
import XCTest

/// eSCN gradients against central finite differences (Double): every parameter (sphere heads,
/// shared heads), and the positions through the edge frames, distances and heads, also with
/// edges on the polar axis.
final class ESCNGradientTests: XCTestCase {
    func loss(_ out: [String: Variable<Double>], _ weights: [String: Tensor<Double>], _ tape: Tape<Double>) -> Variable<Double> {
        var total: Variable<Double>? = nil
        for name in weights.keys.sorted() {
            let term = sum(out[name]! * tape.constant(weights[name]!))
            total = total.map { $0 + term } ?? term
        }
        return total!
    }

    func checkParameters(_ config: ModelConfig, seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let mols = RandomMolecules(rng: &rng, graphs: 2, atoms: 2...4, elements: [1, 6, 8])
        let m = try ModelFactory.make(config: config, outputs: allOutputs, seed: seed, as: Double.self)
        perturbZeroParameters(m.store, seed: seed)
        let weights = try runModel(m, mols.graph).mapValues { Tensor<Double>.randomNormal(shape: $0.shape, using: &rng) }
        let err = GradientCheck.checkParameters(store: m.store) { tape in
            self.loss(try! m.forward(mols.graph, tape: tape), weights, tape)
        }
        XCTAssertLessThan(err, 1e-7, "\(seed)")
    }

    func testParameterGradientsSphereHeads() throws {
        try checkParameters(escnConfig(lmax: 2, mmax: 1, channels: 2, hidden: 3, edgeChannels: 2, layers: 2, samples: 32), seed: 91)
    }

    func testParameterGradientsSharedHeadsAllOrders() throws {
        try checkParameters(escnConfig(lmax: 3, mmax: 3, channels: 2, hidden: 2, edgeChannels: 2, layers: 1, heads: .shared), seed: 92)
    }

    func positionGradientError(_ m: any GraphModel<Double>, _ g: AtomGraph, rng: inout SeededGenerator) throws -> (Double, [Double]) {
        let weights = try runModel(m, g).mapValues { Tensor<Double>.randomNormal(shape: $0.shape, using: &rng) }
        let tape = Tape<Double>(store: m.store)
        let geometry = GraphGeometry(g, tape: tape, differentiable: true)
        tape.backward(loss(try m.forward(g, geometry: geometry, tape: tape), weights, tape))
        let gx = tape.gradient(geometry.positions)!.scalars
        func value(_ g: AtomGraph) throws -> Double {
            let t = Tape<Double>(store: m.store)
            return loss(try m.forward(g, tape: t), weights, t).scalar
        }
        var worst = 0.0
        let h = 1e-5
        for a in 0..<g.atomCount {
            for j in 0..<3 {
                var p = g, q = g
                p.positions[a][j] += h
                q.positions[a][j] -= h
                let numeric = (try value(p) - value(q)) / (2 * h)
                worst = max(worst, abs(gx[3 * a + j] - numeric) / max(1, abs(numeric)))
            }
        }
        return (worst, gx)
    }

    /// At fairchem's grids (where the roll of the frames matters a little) the gradient is that
    /// of the computed function; the gradients sum to zero (translation invariance).
    func testPositionGradients() throws {
        var rng = SeededGenerator(seed: 93)
        let mols = RandomMolecules(rng: &rng, graphs: 2, atoms: 3...5, elements: [1, 6, 8])
        let m = try ModelFactory.make(config: escnConfig(lmax: 2, mmax: 2), outputs: allOutputs, seed: 93, as: Double.self)
        perturbZeroParameters(m.store, seed: 93)
        let (err, gx) = try positionGradientError(m, mols.graph, rng: &rng)
        XCTAssertLessThan(err, 1e-7)
        var total = SIMD3<Double>.zero
        for a in 0..<mols.graph.atomCount { total += SIMD3(gx[3 * a], gx[3 * a + 1], gx[3 * a + 2]) }
        XCTAssertLessThan((total * total).sum().squareRoot(), 1e-10, "translation invariance")
        XCTAssertGreaterThan(gx.map(Swift.abs).max()!, 1e-3)
    }

    /// Edges along ±z: the frame's roll jumps there, but on a grid fine enough for the model not
    /// to depend on the roll the gradient is continuous and matches finite differences.
    func testPositionGradientsAtThePoles() throws {
        var rng = SeededGenerator(seed: 94)
        let positions: [SIMD3<Double>] = [.zero, SIMD3(0, 0, 1.1), SIMD3(0, 0, -1.3), SIMD3(0.9, 0.4, 0.2)]
        var src: [Int32] = [], dst: [Int32] = []
        for i in 0..<4 { for j in 0..<4 where i != j { src.append(Int32(i)); dst.append(Int32(j)) } }
        let g = AtomGraph(atomicNumbers: [6, 8, 1, 1], atomGraph: [0, 0, 0, 0], graphCount: 1, positions: positions,
                          edgeSource: src, edgeDestination: dst)
        let m = try ModelFactory.make(config: escnConfig(lmax: 2, mmax: 2, layers: 1, latitudes: 30, longitudes: 60, samples: 800),
                                      outputs: allOutputs, seed: 94, as: Double.self)
        perturbZeroParameters(m.store, seed: 94)
        let (err, gx) = try positionGradientError(m, g, rng: &rng)
        XCTAssertLessThan(err, 1e-7)
        XCTAssertGreaterThan(abs(gx[0]) + abs(gx[1]), 1e-3, "moving an atom off the axis matters")
    }
}
