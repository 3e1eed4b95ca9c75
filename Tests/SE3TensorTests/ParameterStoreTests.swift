import Foundation
import SE3Math
import SE3Tensor
import XCTest

final class ParameterStoreTests: XCTestCase {
    func makeStore() -> (ParameterStore<Double>, Parameter, Parameter, Parameter) {
        var rng = SeededGenerator(seed: 42)
        let store = ParameterStore<Double>()
        let w = store.register("w", shape: [3, 4], initializer: .glorot(fanIn: 3, fanOut: 4), rng: &rng)
        let b = store.register("b", shape: [4], initializer: .constant(0.5), rng: &rng)
        let v = store.register("v", shape: [4, 1], initializer: .normal(std: 0.3), rng: &rng)
        return (store, w, b, v)
    }

    func testLayoutIsContiguousInRegistrationOrder() {
        let (store, w, b, v) = makeStore()
        XCTAssertEqual(store.count, 12 + 4 + 4)
        XCTAssertEqual(store.values.count, store.count)
        XCTAssertEqual(store.grads.count, store.count)
        XCTAssertEqual([w.offset, b.offset, v.offset], [0, 12, 16])
        XCTAssertEqual(store.parameters.map(\.name), ["w", "b", "v"])
        XCTAssertEqual(store.parameter(named: "b"), b)
        XCTAssertNil(store.parameter(named: "nope"))
        XCTAssertEqual(store.value(b).scalars, [0.5, 0.5, 0.5, 0.5])
        let limit = (6.0 / 7.0).squareRoot()
        XCTAssertTrue(store.value(w).scalars.allSatisfy { Swift.abs($0) <= limit })
        XCTAssertEqual(Array(store.values[16..<20]), store.value(v).scalars)
        store.setValue(Tensor(shape: [4], scalars: [1, 2, 3, 4]), for: b)
        XCTAssertEqual(Array(store.values[12..<16]), [1, 2, 3, 4])
        // Same seed, same values.
        XCTAssertEqual(makeStore().0, makeStore().0)
    }

    func testGradientsAccumulateAcrossUsesAndBackwardsAndZero() {
        let (store, _, b, _) = makeStore()
        let x = Tensor<Double>(shape: [2, 4], scalars: [1, 2, 3, 4, 5, 6, 7, 8])
        func loss(_ tape: Tape<Double>) -> Variable<Double> {
            // b used twice: Σ (x + b) + Σ (b ⊙ b) → ∂/∂b = rows(2) + 2b
            let bv = tape.parameter(b)
            return sum(addRowVector(tape.constant(x), bv)) + sum(tape.parameter(b) * bv)
        }
        store.setValue(Tensor(shape: [4], scalars: [1, -1, 0.5, 0]), for: b)
        store.zeroGrads()
        let t1 = Tape(store: store)
        t1.backward(loss(t1))
        XCTAssertEqual(store.grad(b).scalars, [4, 0, 3, 2])
        XCTAssertTrue(store.grads[0..<12].allSatisfy { $0 == 0 })   // w unused
        let t2 = Tape(store: store)
        t2.backward(loss(t2))
        XCTAssertEqual(store.grad(b).scalars, [8, 0, 6, 4])          // accumulated over two backwards
        store.zeroGrads()
        XCTAssertTrue(store.grads.allSatisfy { $0 == 0 })
    }

    func testClipByGlobalNorm() {
        let (store, _, _, _) = makeStore()
        for i in 0..<store.count { store.grads[i] = Double(i % 5) - 2 }
        let expected = store.grads.map { $0 * $0 }.reduce(0, +).squareRoot()
        XCTAssertEqual(store.gradientNorm(), expected, accuracy: 1e-12)
        let direction = store.grads.map { $0 / expected }
        let before = store.clipGradients(maxNorm: 1.5)
        XCTAssertEqual(before, expected, accuracy: 1e-12)
        XCTAssertEqual(store.gradientNorm(), 1.5, accuracy: 1e-12)
        for (g, d) in zip(store.grads, direction) { XCTAssertEqual(g, 1.5 * d, accuracy: 1e-12) }
        // Below the threshold nothing changes.
        let snapshot = store.grads
        store.clipGradients(maxNorm: 10)
        XCTAssertEqual(store.grads, snapshot)
    }

    func testCopyEqualityConversionAndCodable() throws {
        let (store, w, _, _) = makeStore()
        store.grads[0] = 3
        let c = store.copy()
        XCTAssertEqual(c, store)
        XCTAssertEqual(c.grads, store.grads)
        c.values[0] += 1
        XCTAssertNotEqual(c, store)                       // deep copy
        XCTAssertEqual(store.value(w).scalars[0] + 1, c.values[0])
        let f = store.converted(to: Float.self)
        XCTAssertEqual(f.parameters, store.parameters)
        XCTAssertEqual(f.values, store.values.map { Float($0) })
        let decoded = try JSONDecoder().decode(ParameterStore<Double>.self, from: JSONEncoder().encode(store))
        XCTAssertEqual(decoded, store)
        XCTAssertTrue(decoded.grads.allSatisfy { $0 == 0 })
        // A corrupt layout is a thrown error, not a crash.
        let bad = #"{"parameters":[{"name":"a","offset":1,"shape":[2]}],"values":[1,2]}"#
        XCTAssertThrowsError(try JSONDecoder().decode(ParameterStore<Double>.self, from: Data(bad.utf8)))
        let short = #"{"parameters":[{"name":"a","offset":0,"shape":[3]}],"values":[1,2]}"#
        XCTAssertThrowsError(try JSONDecoder().decode(ParameterStore<Double>.self, from: Data(short.utf8)))
    }

    func testInitializersSpread() {
        var rng = SeededGenerator(seed: 3)
        let store = ParameterStore<Double>()
        let z = store.register("z", shape: [10], initializer: .zeros, rng: &rng)
        let o = store.register("o", shape: [10], initializer: .ones, rng: &rng)
        let u = store.register("u", shape: [2000], initializer: .uniform(-1, 3), rng: &rng)
        let l = store.register("l", shape: [4000], initializer: .lecun(fanIn: 16), rng: &rng)
        XCTAssertEqual(store.value(z).scalars, [Double](repeating: 0, count: 10))
        XCTAssertEqual(store.value(o).scalars, [Double](repeating: 1, count: 10))
        let us = store.value(u).scalars
        XCTAssertTrue(us.allSatisfy { $0 >= -1 && $0 < 3 })
        XCTAssertEqual(us.reduce(0, +) / 2000, 1, accuracy: 0.1)
        let ls = store.value(l).scalars
        XCTAssertEqual((ls.map { $0 * $0 }.reduce(0, +) / 4000).squareRoot(), 0.25, accuracy: 0.01)
    }

    func testCheckParametersOfATinyNetwork() {
        let (store, w, b, v) = makeStore()
        let x = randomTensor([5, 3], seed: 9)
        let err = GradientCheck.checkParameters(store: store) { tape in
            let h = tanh(addRowVector(matmul(tape.constant(x), tape.parameter(w)), tape.parameter(b)))
            return mean(square(matmul(h, tape.parameter(v))))
        }
        XCTAssertLessThan(err, gradTolerance)
        XCTAssertTrue(store.grads.allSatisfy { $0 == 0 })     // restored
    }
}
