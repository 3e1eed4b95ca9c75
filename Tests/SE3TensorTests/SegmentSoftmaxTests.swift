import SE3Math
import SE3Tensor
import Foundation
import XCTest

final class SegmentSoftmaxTests: XCTestCase {
    // 6 edges into 5 nodes: node 0 has 3 edges, node 1 none (empty), node 2 one (singleton),
    // node 3 two, node 4 none. Unsorted.
    let segments: [Int] = [3, 0, 2, 0, 3, 0]
    let count = 5

    func testSumsToOnePerSegmentAndSingletonIsOne() {
        for shape in [[6], [6, 3]] {
            let x = randomTensor(shape, seed: 1, std: 3)
            let tape = Tape<Double>()
            let y = segmentSoftmax(tape.constant(x), segments: segments, count: count)
            let h = shape.count == 2 ? shape[1] : 1
            for k in 0..<h {
                var totals = [Double](repeating: 0, count: count)
                for (e, s) in segments.enumerated() { totals[s] += y.value.scalars[e * h + k] }
                XCTAssertEqual(totals[0], 1, accuracy: 1e-14)
                XCTAssertEqual(totals[3], 1, accuracy: 1e-14)
                XCTAssertEqual(y.value.scalars[2 * h + k], 1)                      // singleton
                // Reference: plain softmax of the segment's scores.
                let members = segments.indices.filter { segments[$0] == 0 }
                let ex = members.map { Foundation.exp(x.scalars[$0 * h + k]) }
                let z = ex.reduce(0, +)
                for (m, e) in zip(members, ex) { XCTAssertEqual(y.value.scalars[m * h + k], e / z, accuracy: 1e-14) }
            }
        }
    }

    func testStableForLargeScores() {
        let x = Tensor<Double>(shape: [3], scalars: [1000, 1001, -1000])
        let tape = Tape<Double>()
        let y = segmentSoftmax(tape.constant(x), segments: [0, 0, 1], count: 2)
        XCTAssertEqual(y.value.scalars[0], 1 / (1 + Foundation.exp(1)), accuracy: 1e-14)
        XCTAssertEqual(y.value.scalars[2], 1)
        let tapeF = Tape<Float>()
        let yf = segmentSoftmax(tapeF.constant(Tensor(shape: [3], scalars: [80, 81, -1000])), segments: [0, 0, 1], count: 2)
        XCTAssertTrue(yf.value.scalars.allSatisfy(\.isFinite))
        XCTAssertEqual(Double(yf.value.scalars[1]), 1 / (1 + Foundation.exp(-1)), accuracy: 1e-6)
    }

    func testGradients() {
        for shape in [[6], [6, 3]] {
            let x = randomTensor(shape, seed: 2)
            let err = GradientCheck.check(inputs: [x]) { tape, v in
                weightedSum(tape, segmentSoftmax(v[0], segments: self.segments, count: self.count))
            }
            XCTAssertLessThan(err, gradTolerance, "\(shape)")
        }
        // Attention pattern: softmax weights times gathered messages, summed per node.
        let scores = randomTensor([6], seed: 3), feats = randomTensor([4, 2], seed: 4)
        let src: [Int32] = [0, 1, 2, 3, 1, 0]
        let err = GradientCheck.check(inputs: [scores, feats]) { tape, v in
            let alpha = segmentSoftmax(v[0], segments: self.segments, count: self.count)
            let msg = mulColumn(gatherRows(v[1], indices: src), alpha)
            return weightedSum(tape, scatterAddRows(msg, indices: self.segments, count: self.count))
        }
        XCTAssertLessThan(err, gradTolerance)
    }

    func testNoEdges() {
        let tape = Tape<Double>()
        let x = tape.variable(Tensor(zeros: [0, 2]))
        let y = segmentSoftmax(x, segments: [Int](), count: 3)
        XCTAssertEqual(y.shape, [0, 2])
        tape.backward(sum(y))
        XCTAssertEqual(tape.gradient(x)?.shape, [0, 2])
    }
}
