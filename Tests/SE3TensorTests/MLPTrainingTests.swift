import Foundation
import SE3Math
import SE3Tensor
import XCTest

/// A 2-16-1 SiLU MLP fitted to y = sin(x₀) · cos(x₁) by plain SGD: the loss must drop a lot.
final class MLPTrainingTests: XCTestCase {
    func train<T: TensorScalar>(_: T.Type) -> (first: Double, last: Double) {
        var rng = SeededGenerator(seed: 2024)
        let store = ParameterStore<T>()
        let w1 = store.register("l1.w", shape: [2, 16], initializer: .lecun(fanIn: 2), rng: &rng)
        let b1 = store.register("l1.b", shape: [16], initializer: .zeros, rng: &rng)
        let w2 = store.register("l2.w", shape: [16, 1], initializer: .lecun(fanIn: 16), rng: &rng)
        let b2 = store.register("l2.b", shape: [1], initializer: .zeros, rng: &rng)
        let n = 64
        let x = Tensor<T>.randomUniform(shape: [n, 2], low: -2, high: 2, using: &rng)
        var y = Tensor<T>(zeros: [n, 1])
        for i in 0..<n { y.scalars[i] = T(Foundation.sin(Double(x[i, 0])) * Foundation.cos(Double(x[i, 1]))) }

        var losses = [Double]()
        let lr: T = 0.1
        for _ in 0..<400 {
            store.zeroGrads()
            let tape = Tape(store: store)
            let h = silu(addRowVector(matmul(tape.constant(x), tape.parameter(w1)), tape.parameter(b1)))
            let out = addRowVector(matmul(h, tape.parameter(w2)), tape.parameter(b2))
            let loss = mean(square(out - tape.constant(y)))
            tape.backward(loss)
            losses.append(Double(loss.scalar))
            store.clipGradients(maxNorm: 10)
            for i in 0..<store.count { store.values[i] -= lr * store.grads[i] }
        }
        return (losses[0], losses.last!)
    }

    func testLossFallsDouble() {
        let (first, last) = train(Double.self)
        XCTAssertLessThan(last, 0.25 * first, "first \(first) last \(last)")
    }

    func testLossFallsFloat() {
        let (first, last) = train(Float.self)
        XCTAssertLessThan(last, 0.25 * first, "first \(first) last \(last)")
    }
}
