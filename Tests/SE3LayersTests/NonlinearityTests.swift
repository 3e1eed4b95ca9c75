import XCTest
import SE3Math
import SE3Tensor
import SE3Layers

final class NormNonlinearityTests: XCTestCase {
    private func make(lmax: Int, channels: Int, _ g: inout SeededGenerator) throws -> (NormNonlinearity, ParameterStore<Double>) {
        let store = ParameterStore<Double>()
        let nl = try NormNonlinearity(store: store, name: "nl", lmax: lmax, channels: channels, rng: &g)
        store.setValue(Tensor.randomNormal(shape: [lmax + 1, channels], using: &g), for: nl.bias)
        return (nl, store)
    }

    func testValuesFollowTheFormula() throws {
        var g = SeededGenerator(seed: 41)
        let (nl, store) = try make(lmax: 2, channels: 3, &g)
        let x = LT.randomFeatures(2, lmax: 2, channels: 3, &g)
        let y = nl(SphericalFeatures(LT.tape(store).constant(x), lmax: 2, channels: 3)).variable.value
        let b = store.value(nl.bias)
        for n in 0..<2 { for c in 0..<3 {
            let z = x[n, 0, c] + b[0, c]
            XCTAssertEqual(y[n, 0, c], z / (1 + exp(-z)), accuracy: 1e-14)
            for l in 1...2 {
                var s = NormNonlinearity.epsilon
                for i in l * l..<(l + 1) * (l + 1) { s += x[n, i, c] * x[n, i, c] }
                let gate = 1 / (1 + exp(-(s.squareRoot() + b[l, c])))
                for i in l * l..<(l + 1) * (l + 1) { XCTAssertEqual(y[n, i, c], gate * x[n, i, c], accuracy: 1e-14) }
            }
        } }
    }

    func testEquivariance() throws {
        var g = SeededGenerator(seed: 42)
        let (nl, store) = try make(lmax: 3, channels: 2, &g)
        let x = LT.randomFeatures(3, lmax: 3, channels: 2, &g)
        func run(_ x: Tensor<Double>) -> Tensor<Double> {
            nl(SphericalFeatures(LT.tape(store).constant(x), lmax: 3, channels: 2)).variable.value
        }
        let base = run(x)
        for R in LT.rotations(seed: 43) {
            XCTAssertLessThan(LT.relDiff(run(LT.rotate(x, lmax: 3, R)), LT.rotate(base, lmax: 3, R)), 1e-12)
        }
    }

    func testGradients() throws {
        var g = SeededGenerator(seed: 44)
        let (nl, store) = try make(lmax: 2, channels: 3, &g)
        let x = LT.randomFeatures(3, lmax: 2, channels: 3, &g)
        let probe = LT.randomFeatures(3, lmax: 2, channels: 3, &g)
        let f: (Variable<Double>) -> Variable<Double> = { v in LT.probe(nl(SphericalFeatures(v, lmax: 2, channels: 3)).variable, probe) }
        XCTAssertLessThan(GradientCheck.checkParameters(store: store) { t in f(t.constant(x)) }, 1e-7)
        XCTAssertLessThan(LT.inputGradientError(x, store: store, f), 1e-7)
    }
}

final class GateTests: XCTestCase {
    private func make(lmax: Int, channels: Int, _ g: inout SeededGenerator) throws -> (Gate, ParameterStore<Double>) {
        let store = ParameterStore<Double>()
        let gate = try Gate(store: store, name: "gate", lmax: lmax, channels: channels, rng: &g)
        if let b = gate.gateBias { store.setValue(Tensor.randomNormal(shape: b.shape, using: &g), for: b) }
        return (gate, store)
    }

    func testValuesFollowTheFormula() throws {
        var g = SeededGenerator(seed: 51)
        let (gate, store) = try make(lmax: 2, channels: 3, &g)
        XCTAssertEqual(store.parameters.map(\.name), ["gate.gateWeight", "gate.gateBias"])
        let x = LT.randomFeatures(2, lmax: 2, channels: 3, &g)
        let y = gate(SphericalFeatures(LT.tape(store).constant(x), lmax: 2, channels: 3)).variable.value
        let W = store.value(gate.gateWeight!), b = store.value(gate.gateBias!)
        let kS = ActivationNormalization.silu, kG = ActivationNormalization.sigmoid
        for n in 0..<2 { for c in 0..<3 {
            XCTAssertEqual(y[n, 0, c], kS * x[n, 0, c] / (1 + exp(-x[n, 0, c])), accuracy: 1e-14)
            for l in 1...2 {
                var z = b.scalars[(l - 1) * 3 + c]
                for c2 in 0..<3 { z += x[n, 0, c2] * W[c2, (l - 1) * 3 + c] / 3.0.squareRoot() }
                let s = 1 / (1 + exp(-z))
                for i in l * l..<(l + 1) * (l + 1) { XCTAssertEqual(y[n, i, c], kG * s * x[n, i, c], accuracy: 1e-13) }
            }
        } }
    }

    func testEquivariance() throws {
        var g = SeededGenerator(seed: 52)
        let (gate, store) = try make(lmax: 3, channels: 2, &g)
        let x = LT.randomFeatures(3, lmax: 3, channels: 2, &g)
        func run(_ x: Tensor<Double>) -> Tensor<Double> {
            gate(SphericalFeatures(LT.tape(store).constant(x), lmax: 3, channels: 2)).variable.value
        }
        let base = run(x)
        for R in LT.rotations(seed: 53) {
            XCTAssertLessThan(LT.relDiff(run(LT.rotate(x, lmax: 3, R)), LT.rotate(base, lmax: 3, R)), 1e-12)
        }
    }

    func testGradients() throws {
        var g = SeededGenerator(seed: 54)
        for lmax in [0, 2] {
            let (gate, store) = try make(lmax: lmax, channels: 3, &g)
            let x = LT.randomFeatures(3, lmax: lmax, channels: 3, &g)
            let probe = LT.randomFeatures(3, lmax: lmax, channels: 3, &g)
            let f: (Variable<Double>) -> Variable<Double> = { v in LT.probe(gate(SphericalFeatures(v, lmax: lmax, channels: 3)).variable, probe) }
            if lmax > 0 { XCTAssertLessThan(GradientCheck.checkParameters(store: store) { t in f(t.constant(x)) }, 1e-7) }
            XCTAssertLessThan(LT.inputGradientError(x, store: store, f), 1e-7)
        }
    }
}
