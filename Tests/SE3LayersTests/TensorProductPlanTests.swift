import XCTest
import SE3Math
import SE3Layers

final class TensorProductPlanTests: XCTestCase {
    private func triples(_ p: TensorProductPlan) -> [[Int]] { p.paths.map { [$0.l1, $0.lf, $0.lo] } }

    func testPathsOneByOneToOne() throws {
        let p = try TensorProductPlan(lmaxIn: 1, lmaxFilter: 1, lmaxOut: 1, channels: 4)
        // (1,1,1) has odd l1+lf+lo (a pseudovector, 1e) and is excluded by parity.
        XCTAssertEqual(triples(p), [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]])
        for path in p.paths { XCTAssertEqual(path.alpha, 1 / 2.0.squareRoot(), accuracy: 1e-15) }
        XCTAssertEqual(p.pathCount, 4)
        XCTAssertEqual(p.weightsPerEdge, 16)
        XCTAssertEqual(p.unreachedOutputDegrees, [])
    }

    func testPathsOneByOneToTwo() throws {
        let p = try TensorProductPlan(lmaxIn: 1, lmaxFilter: 1, lmaxOut: 2, channels: 1)
        XCTAssertEqual(triples(p), [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0], [1, 1, 2]])
        XCTAssertEqual(p.paths.map(\.alpha), [Double](repeating: (0.5 as Double).squareRoot(), count: 4) + [1],
                       accuracy: 1e-15)
    }

    func testPathsTwoByOneToTwo() throws {
        let p = try TensorProductPlan(lmaxIn: 2, lmaxFilter: 1, lmaxOut: 2, channels: 1, weightSharing: .shared)
        XCTAssertEqual(triples(p), [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0], [1, 1, 2], [2, 0, 2], [2, 1, 1]])
        // paths into lo = 0: 2, lo = 1: 3, lo = 2: 2
        let expected: [Double] = [2, 3, 3, 2, 2, 2, 3].map { 1 / $0.squareRoot() }
        XCTAssertEqual(p.paths.map(\.alpha), expected, accuracy: 1e-15)
        XCTAssertEqual(p.weightSharing, .shared)
    }

    func testUnreachedDegreeAndEquality() throws {
        let p = try TensorProductPlan(lmaxIn: 0, lmaxFilter: 0, lmaxOut: 1, channels: 2)
        XCTAssertEqual(triples(p), [[0, 0, 0]])
        XCTAssertEqual(p.unreachedOutputDegrees, [1])
        XCTAssertEqual(p, try TensorProductPlan(lmaxIn: 0, lmaxFilter: 0, lmaxOut: 1, channels: 2))
        XCTAssertNotEqual(p, try TensorProductPlan(lmaxIn: 0, lmaxFilter: 0, lmaxOut: 1, channels: 3))
    }

    func testAllowedRuleMatchesIrrepSelectionRule() throws {
        let p = try TensorProductPlan(lmaxIn: 3, lmaxFilter: 3, lmaxOut: 3, channels: 1)
        var count = 0
        for l1 in 0...3 { for lf in 0...3 { for lo in 0...3 {
            let allowed = Irrep.isAllowed(.spherical(l1), .spherical(lf), .spherical(lo))
            XCTAssertEqual(TensorProductPlan.isAllowed(l1: l1, lf: lf, lo: lo), allowed)
            if allowed { count += 1 }
        } } }
        XCTAssertEqual(p.pathCount, count)
        XCTAssertEqual(triples(p), triples(p).sorted { $0.lexicographicallyPrecedes($1) })
    }

    func testEntriesAreTheNonZeroCGWithComponentIndicesAndOrthonormalColumns() throws {
        let p = try TensorProductPlan(lmaxIn: 2, lmaxFilter: 2, lmaxOut: 2, channels: 1)
        for path in p.paths {
            let block = ClebschGordan.block(l1: path.l1, l2: path.lf, l3: path.lo)
            XCTAssertEqual(path.entries.count, block.nonZero.count)
            var colNorm = [Double](repeating: 0, count: 2 * path.lo + 1)
            for e in path.entries {
                let m1 = e.input - path.l1, mf = e.filter - path.lf, mo = e.output - path.lo
                XCTAssertTrue(abs(m1) <= path.l1 && abs(mf) <= path.lf && abs(mo) <= path.lo)
                XCTAssertEqual(e.coefficient, block[m1, mf, mo])
                XCTAssertNotEqual(e.coefficient, 0)
                colNorm[mo + path.lo] += e.coefficient * e.coefficient
            }
            for v in colNorm { XCTAssertEqual(v, 1, accuracy: 1e-12) }
            if path.l1 == 0 {
                XCTAssertEqual(path.entries.count, 2 * path.lo + 1)
                XCTAssertTrue(path.entries.allSatisfy { abs($0.coefficient - 1) < 1e-14 && $0.filter == $0.output })
            }
            if path.lo == 0 {
                for e in path.entries { XCTAssertEqual(e.coefficient, 1 / Double(2 * path.l1 + 1).squareRoot(), accuracy: 1e-14) }
            }
        }
    }

    func testSparsity() throws {
        let p = try TensorProductPlan(lmaxIn: 3, lmaxFilter: 3, lmaxOut: 3, channels: 1)
        XCTAssertEqual(p.denseCount, p.paths.reduce(0) { $0 + (2 * $1.l1 + 1) * (2 * $1.lf + 1) * (2 * $1.lo + 1) })
        XCTAssertLessThan(Double(p.nonZeroCount), 0.35 * Double(p.denseCount),
                          "non-zero \(p.nonZeroCount) of dense \(p.denseCount)")
        // the kernel's pair folding needs at most as many pairs as CG entries
        XCTAssertLessThanOrEqual(p.kernel.pairCount, p.nonZeroCount)
        XCTAssertEqual(p.kernel.termCount, p.nonZeroCount)
        XCTAssertEqual(p.nominalForwardFlopsPerEdge, 3 * p.nonZeroCount)
    }

    func testInvalidArgumentsThrow() {
        XCTAssertThrowsError(try TensorProductPlan(lmaxIn: -1, lmaxFilter: 1, lmaxOut: 1, channels: 1)) { e in
            XCTAssertTrue("\(e)".contains("lmaxIn"))
        }
        XCTAssertThrowsError(try TensorProductPlan(lmaxIn: 1, lmaxFilter: 1, lmaxOut: 1, channels: 0)) { e in
            XCTAssertTrue("\(e)".contains("channels"))
        }
    }
}

func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
