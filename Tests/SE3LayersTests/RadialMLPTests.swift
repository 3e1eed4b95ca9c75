import XCTest
import SE3Math
import SE3Tensor
import SE3Layers

final class RadialMLPTests: XCTestCase {
    func testShapesZeroInputAndRegisteredParameters() throws {
        var g = SeededGenerator(seed: 21)
        let store = ParameterStore<Double>()
        let mlp = try RadialMLP(store: store, name: "conv0.radial", inputs: 8, hidden: 16, outputs: 12, rng: &g)
        XCTAssertEqual(store.parameters.map(\.name), ["conv0.radial.w0", "conv0.radial.w1", "conv0.radial.w2"])
        XCTAssertEqual(store.parameters.map(\.shape), [[8, 16], [16, 16], [16, 12]])
        let tape = Tape<Double>(store: store)
        let zero = mlp(tape.constant(Tensor(zeros: [3, 8])))
        XCTAssertEqual(zero.shape, [3, 12])
        XCTAssertEqual(zero.value, Tensor(zeros: [3, 12]), "no biases: zero embedding gives zero weights")
        XCTAssertThrowsError(try RadialMLP(store: store, name: "bad", inputs: 0, hidden: 4, outputs: 4, rng: &g))
    }

    func testUnitVarianceAtInitialisation() throws {
        var g = SeededGenerator(seed: 22)
        let store = ParameterStore<Double>()
        let mlp = try RadialMLP(store: store, name: "r", inputs: 8, hidden: 64, outputs: 32, rng: &g)
        let x = Tensor<Double>.randomNormal(shape: [2000, 8], using: &g)
        let y = mlp(LT.tape(store).constant(x)).value
        let m2 = y.scalars.reduce(0) { $0 + $1 * $1 } / Double(y.count)
        XCTAssertEqual(m2, 1, accuracy: 0.3)
        XCTAssertEqual(ActivationNormalization.silu, 1.6765324703, accuracy: 1e-8)   // independent quadrature
        XCTAssertEqual(ActivationNormalization.sigmoid, 1.8462285453, accuracy: 1e-8)
    }

    func testGradients() throws {
        var g = SeededGenerator(seed: 23)
        let store = ParameterStore<Double>()
        let mlp = try RadialMLP(store: store, name: "r", inputs: 3, hidden: 5, outputs: 4, rng: &g)
        let x = Tensor<Double>.randomNormal(shape: [6, 3], using: &g)
        let probe = Tensor<Double>.randomNormal(shape: [6, 4], using: &g)
        XCTAssertLessThan(GradientCheck.checkParameters(store: store) { t in LT.probe(mlp(t.constant(x)), probe) }, 1e-7)
        // input gradient (the radial embedding, for forces)
        let tape = Tape<Double>(store: store)
        let vx = tape.variable(x)
        tape.backward(LT.probe(mlp(vx), probe))
        let analytic = tape.gradient(vx)!
        for i in [0, 5, 11, 17] {
            var xp = x, xm = x
            xp.scalars[i] += 1e-6; xm.scalars[i] -= 1e-6
            let fp = LT.probe(mlp(LT.tape(store).constant(xp)), probe).scalar
            let fm = LT.probe(mlp(LT.tape(store).constant(xm)), probe).scalar
            XCTAssertEqual(analytic.scalars[i], (fp - fm) / 2e-6, accuracy: 1e-6)
        }
    }

    /// The SE(3)-Transformer's radial profile: biases, layer norm and ReLU; the hidden features
    /// alone; gradients of every parameter and of the input.
    func testLayerNormBiasReLUVariantAndHiddenFeatures() throws {
        var g = SeededGenerator(seed: 24)
        let store = ParameterStore<Double>()
        let mlp = try RadialMLP(store: store, name: "r", inputs: 3, hidden: 6, outputs: 5, activation: .relu,
                                layerNorm: true, bias: true, rng: &g)
        XCTAssertEqual(store.parameters.map(\.name), ["r.w0", "r.b0", "r.norm0.gain", "r.norm0.shift",
                                                      "r.w1", "r.b1", "r.norm1.gain", "r.norm1.shift", "r.w2"])
        XCTAssertEqual(mlp.lastWeight.name, "r.w2")
        XCTAssertEqual(mlp.lastScale, 1 / 6.0.squareRoot(), accuracy: 1e-15)
        // generic point: biases, gains and shifts away from their initial values
        for p in store.parameters where p.name.contains(".b") || p.name.contains("norm") {
            for i in p.range { store.values[i] += 0.4 * g.nextGaussian() }
        }
        let x = Tensor<Double>.randomNormal(shape: [7, 3], using: &g)
        let probe = Tensor<Double>.randomNormal(shape: [7, 5], using: &g)
        let probeH = Tensor<Double>.randomNormal(shape: [7, 6], using: &g)
        XCTAssertLessThan(GradientCheck.checkParameters(store: store) { t in LT.probe(mlp(t.constant(x)), probe) }, 1e-7)
        XCTAssertLessThan(GradientCheck.checkParameters(store: store) { t in LT.probe(mlp.hiddenFeatures(t.constant(x)), probeH) }, 1e-7)
        XCTAssertLessThan(LT.inputGradientError(x, store: store) { v in LT.probe(mlp(v), probe) }, 1e-7)
        // the full MLP is the hidden features times the last weight
        let tape = Tape<Double>(store: store)
        let h = mlp.hiddenFeatures(tape.constant(x)).value
        let y = mlp(tape.constant(x)).value
        let w = store.value(mlp.lastWeight)
        for r in 0..<7 { for j in 0..<5 {
            var s = 0.0
            for i in 0..<6 { s += h[r, i] * w[i, j] }
            XCTAssertEqual(y[r, j], s * mlp.lastScale, accuracy: 1e-12)
        } }
        // layer norm: each row of the normalised pre-activations has mean 0 and variance ≈ 1 at initialisation
        let fresh = ParameterStore<Double>()
        var g2 = SeededGenerator(seed: 25)
        let mlp2 = try RadialMLP(store: fresh, name: "r", inputs: 8, hidden: 128, outputs: 32, activation: .relu,
                                 layerNorm: true, bias: true, rng: &g2)
        let y2 = mlp2(LT.tape(fresh).constant(Tensor<Double>.randomNormal(shape: [500, 8], using: &g2))).value
        let m2 = y2.scalars.reduce(0) { $0 + $1 * $1 } / Double(y2.count)
        XCTAssertEqual(m2, 1, accuracy: 0.3)
        XCTAssertEqual(ActivationNormalization.relu, 2.0.squareRoot(), accuracy: 1e-8)
    }
}
