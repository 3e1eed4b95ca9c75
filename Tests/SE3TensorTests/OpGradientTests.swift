import SE3Math
import SE3Tensor
import Foundation
import XCTest

/// Every element-wise, broadcast, reduction and shape op against central finite differences.
final class OpGradientTests: XCTestCase {
    func assertGrad(_ inputs: [Tensor<Double>], _ name: String, line: UInt = #line,
                    _ f: @escaping (Tape<Double>, [Variable<Double>]) -> Variable<Double>) {
        let err = GradientCheck.check(inputs: inputs) { tape, v in weightedSum(tape, f(tape, v)) }
        XCTAssertLessThan(err, gradTolerance, name, line: line)
    }

    func testBinaryElementwise() {
        let a = randomTensor([3, 4], seed: 1), b = awayFromZero([3, 4], seed: 2)
        assertGrad([a, b], "add") { _, v in v[0] + v[1] }
        assertGrad([a, b], "subtract") { _, v in v[0] - v[1] }
        assertGrad([a, b], "multiply") { _, v in v[0] * v[1] }
        assertGrad([a, b], "divide") { _, v in v[0] / v[1] }
        assertGrad([a], "scaled") { _, v in v[0] * 1.7 }
        assertGrad([a], "scalar left") { _, v in 0.3 * v[0] }
        assertGrad([a], "divide by scalar") { _, v in v[0] / 4 }
        assertGrad([a], "addScalar") { _, v in v[0] + 2.5 }
        assertGrad([a], "subtract scalar") { _, v in v[0] - 2.5 }
        assertGrad([a], "negate") { _, v in -v[0] }
    }

    func testBinaryForwardValues() {
        let tape = Tape<Double>()
        let a = tape.constant(Tensor(shape: [2], scalars: [1, 6]))
        let b = tape.constant(Tensor(shape: [2], scalars: [4, 3]))
        XCTAssertEqual((a + b).value.scalars, [5, 9])
        XCTAssertEqual((a - b).value.scalars, [-3, 3])
        XCTAssertEqual((a * b).value.scalars, [4, 18])
        XCTAssertEqual((a / b).value.scalars, [0.25, 2])
        XCTAssertEqual((a + 1).value.scalars, [2, 7])
        XCTAssertEqual((-a).value.scalars, [-1, -6])
    }

    func testUnaryGradients() {
        let x = awayFromZero([4, 3], seed: 3)
        let p = awayFromZero([4, 3], seed: 4, positive: true)
        assertGrad([x], "silu") { _, v in silu(v[0]) }
        assertGrad([x], "sigmoid") { _, v in sigmoid(v[0]) }
        assertGrad([x], "softplus") { _, v in softplus(v[0]) }
        assertGrad([x], "tanh") { _, v in tanh(v[0]) }
        assertGrad([x], "relu") { _, v in relu(v[0]) }
        assertGrad([x], "exp") { _, v in exp(v[0]) }
        assertGrad([p], "log") { _, v in log(v[0]) }
        assertGrad([p], "sqrt") { _, v in sqrt(v[0]) }
        assertGrad([x], "square") { _, v in square(v[0]) }
        assertGrad([x], "abs") { _, v in abs(v[0]) }
        assertGrad([x], "reciprocal") { _, v in reciprocal(v[0]) }
        assertGrad([x], "methods") { _, v in v[0].silu().tanh().square() }
    }

    func testUnaryForwardValuesAgainstLibm() {
        let xs: [Double] = [-40, -3, -0.5, 0, 0.7, 2, 40]
        let tape = Tape<Double>()
        let x = tape.constant(Tensor(shape: [xs.count], scalars: xs))
        for (i, v) in xs.enumerated() {
            let s = 1 / (1 + Foundation.exp(-v))
            XCTAssertEqual(sigmoid(x).value.scalars[i], s, accuracy: 1e-15)
            XCTAssertEqual(silu(x).value.scalars[i], v * s, accuracy: 1e-14)
            XCTAssertEqual(softplus(x).value.scalars[i], v > 30 ? v : Foundation.log(1 + Foundation.exp(v)), accuracy: 1e-14)
            XCTAssertEqual(tanh(x).value.scalars[i], Foundation.tanh(v), accuracy: 1e-15)
            XCTAssertEqual(relu(x).value.scalars[i], max(v, 0))
            XCTAssertEqual(abs(x).value.scalars[i], Swift.abs(v))
            XCTAssertEqual(square(x).value.scalars[i], v * v)
        }
        // Large inputs stay finite.
        XCTAssertTrue(softplus(x).value.scalars.allSatisfy(\.isFinite))
        XCTAssertTrue(sigmoid(x).value.scalars.allSatisfy(\.isFinite))
    }

    func testBroadcastOps() {
        let a = randomTensor([4, 3], seed: 5), b = randomTensor([3], seed: 6)
        let s = randomTensor([4], seed: 7), s1 = randomTensor([4, 1], seed: 8)
        assertGrad([a, b], "addRowVector") { _, v in addRowVector(v[0], v[1]) }
        assertGrad([a, b], "mulRowVector") { _, v in mulRowVector(v[0], v[1]) }
        assertGrad([a, s], "mulColumn [n]") { _, v in mulColumn(v[0], v[1]) }
        assertGrad([a, s1], "mulColumn [n,1]") { _, v in mulColumn(v[0], v[1]) }
        assertGrad([a, s], "addColumn") { _, v in addColumn(v[0], v[1]) }
        // Block gating: features [n, c, m] scaled by gates [n, c]; bias [c, m] over rows.
        let f = randomTensor([3, 2, 5], seed: 9), gate = randomTensor([3, 2], seed: 10)
        let bias = randomTensor([2, 5], seed: 11)
        assertGrad([f, gate], "mulColumn blocks") { _, v in mulColumn(v[0], v[1]) }
        assertGrad([f, bias], "addRowVector blocks") { _, v in addRowVector(v[0], v[1]) }
    }

    func testBroadcastForwardValues() {
        let tape = Tape<Double>()
        let a = tape.constant(Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        let b = tape.constant(Tensor(shape: [3], scalars: [10, 20, 30]))
        let s = tape.constant(Tensor(shape: [2, 1], scalars: [2, -1]))
        XCTAssertEqual(addRowVector(a, b).value.scalars, [11, 22, 33, 14, 25, 36])
        XCTAssertEqual(mulRowVector(a, b).value.scalars, [10, 40, 90, 40, 100, 180])
        XCTAssertEqual(mulColumn(a, s).value.scalars, [2, 4, 6, -4, -5, -6])
        XCTAssertEqual(addColumn(a, s).value.scalars, [3, 4, 5, 3, 4, 5])
    }

    func testReductions() {
        let a = randomTensor([4, 3], seed: 12)
        let t3 = randomTensor([2, 3, 4], seed: 13)
        assertGrad([a], "sum") { _, v in sum(v[0]) }
        assertGrad([a], "mean") { _, v in mean(v[0]) }
        assertGrad([a], "sum axis 0") { _, v in sum(v[0], axis: 0) }
        assertGrad([a], "sum axis 1") { _, v in sum(v[0], axis: 1) }
        assertGrad([a], "mean axis 1") { _, v in mean(v[0], axis: 1) }
        assertGrad([t3], "sum axis 1 rank 3") { _, v in sum(v[0], axis: 1) }

        let tape = Tape<Double>()
        let x = tape.constant(Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        XCTAssertEqual(sum(x).value, Tensor(21))
        XCTAssertEqual(mean(x).scalar, 3.5)
        XCTAssertEqual(sum(x, axis: 0).value, Tensor(shape: [3], scalars: [5, 7, 9]))
        XCTAssertEqual(sum(x, axis: 1).value, Tensor(shape: [2], scalars: [6, 15]))
        XCTAssertEqual(mean(x, axis: 0).value, Tensor(shape: [3], scalars: [2.5, 3.5, 4.5]))
    }

    func testShapeOps() {
        let a = randomTensor([4, 5], seed: 14), b = randomTensor([4, 2], seed: 15)
        let c = randomTensor([3, 5], seed: 16), t3 = randomTensor([2, 4, 3], seed: 17)
        assertGrad([a], "reshape") { _, v in reshape(v[0], [2, 10]) }
        assertGrad([a], "transpose") { _, v in transpose(v[0]) }
        assertGrad([a], "sliceColumns") { _, v in sliceColumns(v[0], 1..<4) }
        assertGrad([a], "sliceRows") { _, v in sliceRows(v[0], 2..<4) }
        assertGrad([t3], "slice axis 2") { _, v in slice(v[0], axis: 2, range: 1..<3) }
        assertGrad([a, b], "concatColumns") { _, v in concatColumns([v[0], v[1], v[0]]) }
        assertGrad([a, c], "concatRows") { _, v in concatRows([v[0], v[1]]) }
    }

    func testShapeOpsForwardValues() {
        let tape = Tape<Double>()
        let a = tape.constant(Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        let b = tape.constant(Tensor(shape: [2, 1], scalars: [7, 8]))
        XCTAssertEqual(sliceColumns(a, 1..<3).value, Tensor(shape: [2, 2], scalars: [2, 3, 5, 6]))
        XCTAssertEqual(sliceRows(a, 1..<2).value, Tensor(shape: [1, 3], scalars: [4, 5, 6]))
        XCTAssertEqual(concatColumns([a, b]).value, Tensor(shape: [2, 4], scalars: [1, 2, 3, 7, 4, 5, 6, 8]))
        XCTAssertEqual(concatRows([a, a]).value.scalars, [1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6])
        XCTAssertEqual(transpose(a).value, Tensor(shape: [3, 2], scalars: [1, 4, 2, 5, 3, 6]))
    }

    func testComposite() {
        // A small attention-like composite: every op in one graph.
        let x = randomTensor([5, 3], seed: 18), w = randomTensor([3, 4], seed: 19), bias = randomTensor([4], seed: 20)
        assertGrad([x, w, bias], "composite") { _, v in
            let h = silu(addRowVector(matmul(v[0], v[1]), v[2]))
            let g = sigmoid(sum(h, axis: 1))
            return concatColumns([mulColumn(h, g), sliceColumns(h, 0..<2)])
        }
    }
}
