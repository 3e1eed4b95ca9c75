import SE3Math
import SE3Models
import SE3Tensor
import XCTest

/// SE(3)-Transformer gradients against central finite differences (Double): every parameter, and
/// the positions (forces).
final class SE3TransformerGradientTests: XCTestCase {
    func loss(_ out: [String: Variable<Double>], _ weights: [String: Tensor<Double>], _ tape: Tape<Double>) -> Variable<Double> {
        var total: Variable<Double>? = nil
        for name in weights.keys.sorted() {
            let term = sum(out[name]! * tape.constant(weights[name]!))
            total = total.map { $0 + term } ?? term
        }
        return total!
    }

    func checkParameters(_ config: ModelConfig, outputs: [OutputSpec], seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let mols = RandomMolecules(rng: &rng, graphs: 2, atoms: 2...4, elements: [1, 6, 8])
        let m = try ModelFactory.make(config: config, outputs: outputs, seed: seed, as: Double.self)
        perturbZeroParameters(m.store, seed: seed)
        let weights = try runModel(m, mols.graph).mapValues { Tensor<Double>.randomNormal(shape: $0.shape, using: &rng) }
        let err = GradientCheck.checkParameters(store: m.store) { tape in
            self.loss(try! m.forward(mols.graph, tape: tape), weights, tape)
        }
        XCTAssertLessThan(err, 1e-6, "\(config.name) \(seed)")
    }

    func testParameterGradientsE3() throws {
        try checkParameters(se3tConfig(lmax: 2, channels: 2, layers: 1, heads: 2, radialHidden: 3), outputs: allOutputs, seed: 71)
    }

    func testParameterGradientsSE3WithNormGateAndTwoLayers() throws {
        try checkParameters(se3tConfig(lmax: 1, channels: 2, layers: 2, heads: 1, symmetry: .se3, nonlinearity: .normGate,
                                       radialHidden: 3, radialLayerNorm: false),
                            outputs: allOutputs.filter { $0.kind != .rank2 }, seed: 72)
    }

    func testParameterGradientsAttentiveSelfInteraction() throws {
        try checkParameters(se3tConfig(lmax: 1, channels: 2, layers: 1, heads: 1, radialHidden: 3, selfInteraction: .attentive),
                            outputs: [allOutputs[0], allOutputs[5]], seed: 75)
    }

    func testPositionGradients() throws {
        for (symmetry, seed) in [(SE3TransformerConfig.Symmetry.se3, UInt64(73)), (.e3, 74)] {
            var rng = SeededGenerator(seed: seed)
            let mols = RandomMolecules(rng: &rng, graphs: 2, atoms: 3...5, elements: [1, 6, 8])
            let m = try ModelFactory.make(config: se3tConfig(lmax: 2, layers: 1, symmetry: symmetry), outputs: allOutputs,
                                          seed: seed, as: Double.self)
            perturbZeroParameters(m.store, seed: seed)
            let weights = try runModel(m, mols.graph).mapValues { Tensor<Double>.randomNormal(shape: $0.shape, using: &rng) }
            let tape = Tape<Double>(store: m.store)
            let geometry = GraphGeometry(mols.graph, tape: tape, differentiable: true)
            tape.backward(loss(try m.forward(mols.graph, geometry: geometry, tape: tape), weights, tape))
            let gx = tape.gradient(geometry.positions)!.scalars
            func value(_ g: AtomGraph) throws -> Double {
                let t = Tape<Double>(store: m.store)
                return loss(try m.forward(g, tape: t), weights, t).scalar
            }
            var worst = 0.0, total = SIMD3<Double>.zero
            let h = 1e-6                         // ReLU kinks (radial networks, NormSE3): keep the stencil small
            for a in 0..<mols.graph.atomCount {
                for j in 0..<3 {
                    var p = mols.graph, q = mols.graph
                    p.positions[a][j] += h
                    q.positions[a][j] -= h
                    let numeric = (try value(p) - value(q)) / (2 * h)
                    worst = max(worst, abs(gx[3 * a + j] - numeric) / max(1, abs(numeric)))
                }
                total += SIMD3(gx[3 * a], gx[3 * a + 1], gx[3 * a + 2])
            }
            XCTAssertLessThan(worst, 1e-6, "\(symmetry)")
            XCTAssertLessThan((total * total).sum().squareRoot(), 1e-10, "translation invariance")
            XCTAssertGreaterThan(gx.map(Swift.abs).max()!, 1e-3)
        }
    }
}
