import SE3Math
import SE3Tensor
import Foundation
import XCTest

final class GatherScatterTests: XCTestCase {
    let n = 5
    let indices: [Int] = [3, 0, 3, 4, 3, 1, 0]          // repeated, node 2 never used
    var indices32: [Int32] { indices.map(Int32.init) }

    func testGatherForward() {
        let a = randomTensor([n, 2, 3], seed: 1)
        let tape = Tape<Double>()
        let g = gatherRows(tape.constant(a), indices: indices32)
        XCTAssertEqual(g.shape, [indices.count, 2, 3])
        for (r, i) in indices.enumerated() {
            for j in 0..<6 { XCTAssertEqual(g.value.scalars[r * 6 + j], a.scalars[i * 6 + j]) }
        }
    }

    func testScatterAddForwardAndAdjointOfGather() {
        let m = randomTensor([indices.count, 3], seed: 2)
        let tape = Tape<Double>()
        let s = scatterAddRows(tape.constant(m), indices: indices, count: n)
        XCTAssertEqual(s.shape, [n, 3])
        var ref = [Double](repeating: 0, count: n * 3)
        for (r, i) in indices.enumerated() { for j in 0..<3 { ref[i * 3 + j] += m.scalars[r * 3 + j] } }
        for (x, y) in zip(s.value.scalars, ref) { XCTAssertEqual(x, y, accuracy: 1e-14) }
        XCTAssertEqual(Array(s.value.scalars[6..<9]), [0, 0, 0])   // unused node 2

        // ⟨gather(a), m⟩ = ⟨a, scatter(m)⟩.
        let a = randomTensor([n, 3], seed: 3)
        let lhs = (gatherRows(tape.constant(a), indices: indices).value * m).sum()
        let rhs = (a * s.value).sum()
        XCTAssertEqual(lhs, rhs, accuracy: 1e-12)
    }

    func testGradientsWithRepeatedIndices() {
        let a = randomTensor([n, 3], seed: 4), m = randomTensor([indices.count, 3], seed: 5)
        for idx in [indices, [], [2, 2, 2]] {
            let err = GradientCheck.check(inputs: [a]) { tape, v in weightedSum(tape, gatherRows(v[0], indices: idx)) }
            XCTAssertLessThan(err, gradTolerance, "gather \(idx)")
        }
        let err = GradientCheck.check(inputs: [m]) { tape, v in
            weightedSum(tape, scatterAddRows(v[0], indices: self.indices32, count: self.n))
        }
        XCTAssertLessThan(err, gradTolerance)
        // Gather then scatter back (message passing round trip), with nonlinearity.
        let err2 = GradientCheck.check(inputs: [a]) { tape, v in
            weightedSum(tape, scatterAddRows(tanh(gatherRows(v[0], indices: self.indices)), indices: [0, 1, 2, 0, 1, 2, 4], count: self.n))
        }
        XCTAssertLessThan(err2, gradTolerance)
    }

    func testSegmentMean() {
        let m = randomTensor([indices.count, 2], seed: 6)
        let tape = Tape<Double>()
        let mean = segmentMean(tape.constant(m), segments: indices, count: n)
        for node in 0..<n {
            let rows = indices.indices.filter { indices[$0] == node }
            for j in 0..<2 {
                let ref = rows.isEmpty ? 0 : rows.map { m.scalars[$0 * 2 + j] }.reduce(0, +) / Double(rows.count)
                XCTAssertEqual(mean.value.scalars[node * 2 + j], ref, accuracy: 1e-14)
            }
        }
        let err = GradientCheck.check(inputs: [m]) { tape, v in
            weightedSum(tape, segmentMean(v[0], segments: self.indices, count: self.n))
        }
        XCTAssertLessThan(err, gradTolerance)
    }
}

final class TensorRowsTests: XCTestCase {
    func testTensorGatherAndScatterMatchVariableOps() {
        let a = randomTensor([4, 3], seed: 1), m = randomTensor([5, 3], seed: 2)
        let idx: [Int32] = [1, 1, 3, 0, 1]
        let tape = Tape<Double>()
        XCTAssertEqual(a.gatheringRows(idx), gatherRows(tape.constant(a), indices: idx).value)
        XCTAssertEqual(m.scatteringAddRows(idx, count: 4), scatterAddRows(tape.constant(m), indices: idx, count: 4).value)
    }
}

final class SegmentMaxTests: XCTestCase {
    func testValuesEmptySegmentsAndGradient() {
        let a = Tensor<Double>(shape: [5, 2], scalars: [1, 9, 4, 2, -3, 5, 7, -1, 0, 0.5])
        let seg: [Int32] = [0, 0, 2, 2, 2]
        let t = Tape<Double>()
        let y = segmentMax(t.constant(a), segments: seg, count: 3)
        XCTAssertEqual(y.value.scalars, [4, 9, 0, 0, 7, 5])
        let probe = Tensor<Double>(shape: [3, 2], scalars: [1, -2, 3, 4, 0.5, 6])
        let err = GradientCheck.check(inputs: [a]) { _, v in sum(segmentMax(v[0], segments: seg, count: 3) * v[0].tape.constant(probe)) }
        XCTAssertLessThan(err, 1e-8)
    }
}
