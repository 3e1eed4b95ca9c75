import SE3Math
import SE3Tensor
import Foundation
import XCTest

final class TensorTests: XCTestCase {
    func testInitCountRankAndIndexing() {
        var t = Tensor<Double>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(t.count, 6)
        XCTAssertEqual(t.rank, 2)
        XCTAssertEqual(t[1, 0], 4)
        XCTAssertEqual(t.offset(of: [1, 2]), 5)
        t[0, 2] = 9
        XCTAssertEqual(t.scalars, [1, 2, 9, 4, 5, 6])
        XCTAssertEqual(Tensor<Float>(zeros: [2, 2]).scalars, [0, 0, 0, 0])
        XCTAssertEqual(Tensor<Float>(repeating: 3, shape: [3]).scalars, [3, 3, 3])
        let s = Tensor<Double>(2.5)
        XCTAssertEqual(s.rank, 0)
        XCTAssertEqual(s.count, 1)
        XCTAssertEqual(Tensor<Double>(zeros: [0, 4]).count, 0)
    }

    func testReshapeAndConvert() {
        let t = Tensor<Double>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6.25])
        let r = t.reshaped([3, 2])
        XCTAssertEqual(r.shape, [3, 2])
        XCTAssertEqual(r.scalars, t.scalars)
        let f = t.converted(to: Float.self)
        XCTAssertEqual(f.scalars, [1, 2, 3, 4, 5, 6.25])
        XCTAssertEqual(f.converted(to: Double.self), t)
    }

    func testRandomNormalIsSeededAndHasRequestedSpread() {
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7), c = SeededGenerator(seed: 8)
        let x = Tensor<Double>.randomNormal(shape: [100, 100], std: 2, using: &a)
        XCTAssertEqual(x, Tensor<Double>.randomNormal(shape: [100, 100], std: 2, using: &b))
        XCTAssertNotEqual(x, Tensor<Double>.randomNormal(shape: [100, 100], std: 2, using: &c))
        let mean = x.sum() / Double(x.count)
        let variance = x.map { ($0 - mean) * ($0 - mean) }.sum() / Double(x.count)
        XCTAssertEqual(mean, 0, accuracy: 0.05)
        XCTAssertEqual(variance.squareRoot(), 2, accuracy: 0.05)
    }

    func testTensorArithmeticAndCodable() throws {
        let a = Tensor<Double>(shape: [3], scalars: [1, 2, 3])
        let b = Tensor<Double>(shape: [3], scalars: [4, 5, 6])
        XCTAssertEqual((a + b).scalars, [5, 7, 9])
        XCTAssertEqual((a - b).scalars, [-3, -3, -3])
        XCTAssertEqual((a * b).scalars, [4, 10, 18])
        XCTAssertEqual((2 * a).scalars, [2, 4, 6])
        XCTAssertEqual(a.maxAbsDifference(b), 3)
        let data = try JSONEncoder().encode(a)
        XCTAssertEqual(try JSONDecoder().decode(Tensor<Double>.self, from: data), a)
    }

    func testBLASThreadControl() {
        let before = BLAS.threads
        BLAS.setThreads(1)
        XCTAssertEqual(BLAS.threads, 1)
        BLAS.setThreads(before)
        XCTAssertEqual(BLAS.threads, before)
    }
}
