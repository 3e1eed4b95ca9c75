import XCTest
import SE3Math
import SE3Tensor
import SE3Layers

final class EquivariantLinearTests: XCTestCase {
    private func reference(_ x: Tensor<Double>, lin: EquivariantLinear, store: ParameterStore<Double>) -> Tensor<Double> {
        let N = x.shape[0], Ci = lin.channelsIn, Co = lin.channelsOut
        let mIn = (lin.lmaxIn + 1) * (lin.lmaxIn + 1), mOut = (lin.lmaxOut + 1) * (lin.lmaxOut + 1)
        var y = Tensor<Double>(zeros: [N, mOut, Co])
        for n in 0..<N {
            for l in 0...min(lin.lmaxIn, lin.lmaxOut) {
                let W = store.value(lin.weights[l])
                for i in l * l..<(l + 1) * (l + 1) { for co in 0..<Co {
                    var s = 0.0
                    for ci in 0..<Ci { s += x.scalars[(n * mIn + i) * Ci + ci] * W[ci, co] }
                    y.scalars[(n * mOut + i) * Co + co] = s / Double(Ci).squareRoot()
                } }
            }
            if let b = lin.bias { for co in 0..<Co { y.scalars[n * mOut * Co + co] += store.value(b).scalars[co] } }
        }
        return y
    }

    func testMatchesReferenceIncludingLmaxChanges() throws {
        var g = SeededGenerator(seed: 31)
        for (li, lo) in [(3, 3), (2, 3), (3, 1), (0, 2)] {
            let store = ParameterStore<Double>()
            let lin = try EquivariantLinear(store: store, name: "lin", lmaxIn: li, lmaxOut: lo, channelsIn: 3, channelsOut: 4, rng: &g)
            store.setValue(Tensor.randomNormal(shape: [4], using: &g), for: lin.bias!)
            XCTAssertEqual(lin.weights.count, min(li, lo) + 1)
            let x = LT.randomFeatures(5, lmax: li, channels: 3, &g)
            let tape = Tape<Double>(store: store)
            let y = lin(SphericalFeatures(tape.constant(x), lmax: li, channels: 3))
            XCTAssertEqual(y.lmax, lo)
            XCTAssertEqual(y.channels, 4)
            XCTAssertLessThan(LT.relDiff(y.variable.value, reference(x, lin: lin, store: store)), 1e-13)
            if lo > li {   // padded degrees are exactly zero
                for n in 0..<5 { for i in (li + 1) * (li + 1)..<(lo + 1) * (lo + 1) { for c in 0..<4 {
                    XCTAssertEqual(y.variable.value[n, i, c], 0) } } }
            }
        }
    }

    func testEquivariance() throws {
        var g = SeededGenerator(seed: 32)
        let store = ParameterStore<Double>()
        let lin = try EquivariantLinear(store: store, name: "lin", lmaxIn: 3, channelsIn: 4, channelsOut: 3, rng: &g)
        store.setValue(Tensor.randomNormal(shape: [3], using: &g), for: lin.bias!)
        let x = LT.randomFeatures(3, lmax: 3, channels: 4, &g)
        func run(_ x: Tensor<Double>) -> Tensor<Double> {
            lin(SphericalFeatures(LT.tape(store).constant(x), lmax: 3, channels: 4)).variable.value
        }
        let base = run(x)
        for R in LT.rotations(seed: 33) {
            XCTAssertLessThan(LT.relDiff(run(LT.rotate(x, lmax: 3, R)), LT.rotate(base, lmax: 3, R)), 1e-12)
        }
    }

    func testGradients() throws {
        var g = SeededGenerator(seed: 34)
        for (li, lo) in [(2, 2), (2, 1), (1, 2)] {
            let store = ParameterStore<Double>()
            let lin = try EquivariantLinear(store: store, name: "lin", lmaxIn: li, lmaxOut: lo, channelsIn: 3, channelsOut: 2, rng: &g)
            let x = LT.randomFeatures(4, lmax: li, channels: 3, &g)
            let probe = LT.randomFeatures(4, lmax: lo, channels: 2, &g)
            let errP = GradientCheck.checkParameters(store: store) { t in
                LT.probe(lin(SphericalFeatures(t.constant(x), lmax: li, channels: 3)).variable, probe)
            }
            XCTAssertLessThan(errP, 1e-7)
            let errX = LT.inputGradientError(x, store: store) { v in
                LT.probe(lin(SphericalFeatures(v, lmax: li, channels: 3)).variable, probe)
            }
            XCTAssertLessThan(errX, 1e-7)
        }
    }
}
