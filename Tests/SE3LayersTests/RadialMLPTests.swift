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
}
