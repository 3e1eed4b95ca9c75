import XCTest
import SE3Data
import SE3Math

final class DatasetSplitTests: XCTestCase {
    func testDeterministicDisjointAndSized() throws {
        for (n, seed) in [(1000, UInt64(0)), (7, 3), (130_831, 9)] {
            var a = SeededGenerator(seed: seed), b = SeededGenerator(seed: seed)
            let p1 = try DatasetSplit.assign(count: n, fractions: [0.8, 0.1, 0.1], using: &a)
            let p2 = try DatasetSplit.assign(count: n, fractions: [0.8, 0.1, 0.1], using: &b)
            XCTAssertEqual(p1, p2)
            XCTAssertEqual(p1.count, n)  // each index in exactly one part: disjoint and covering
            let sizes = try DatasetSplit.sizes(count: n, fractions: [0.8, 0.1, 0.1])
            XCTAssertEqual(sizes.reduce(0, +), n)
            XCTAssertEqual(sizes[0], Int((0.8 * Double(n)).rounded()))
            XCTAssertEqual(sizes[1], Int((0.1 * Double(n)).rounded()))
            for part in 0..<3 { XCTAssertEqual(p1.filter { $0 == part }.count, sizes[part]) }
        }
        var c = SeededGenerator(seed: 1), d = SeededGenerator(seed: 2)
        XCTAssertNotEqual(try DatasetSplit.assign(count: 500, fractions: [0.5, 0.5], using: &c),
                          try DatasetSplit.assign(count: 500, fractions: [0.5, 0.5], using: &d))
    }

    func testPermutationIsAPermutationAndRoughlyUniform() {
        var rng = SeededGenerator(seed: 5)
        var firstPosition = [Int](repeating: 0, count: 5)
        for _ in 0..<5000 {
            let p = DatasetSplit.permutation(count: 5, using: &rng)
            XCTAssertEqual(p.sorted(), [0, 1, 2, 3, 4])
            firstPosition[p[0]] += 1
        }
        // Each element lands first ~1000 times (binomial std ≈ 28).
        for c in firstPosition { XCTAssertEqual(Double(c), 1000, accuracy: 150) }
    }

    func testParseFractions() throws {
        XCTAssertEqual(try DatasetSplit.parseFractions("0.8,0.1,0.1"), [0.8, 0.1, 0.1])
        XCTAssertEqual(try DatasetSplit.parseFractions(" 1 "), [1])
        assertThrowsMentioning(["--split", "sum to"]) { try DatasetSplit.parseFractions("0.8,0.1") }
        assertThrowsMentioning(["--split", "abc"]) { try DatasetSplit.parseFractions("0.8,abc,0.1") }
        assertThrowsMentioning(["--split"]) { try DatasetSplit.parseFractions("1.2,-0.2") }
    }
}
