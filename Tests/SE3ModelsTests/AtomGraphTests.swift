import XCTest
import SE3Math
import SE3Models

final class AtomGraphTests: XCTestCase {
    func testTransformedRotatesEdgeVectors() {
        let g = AtomGraph(atomicNumbers: [1, 8], atomGraph: [0, 0], graphCount: 1,
                          positions: [SIMD3(2, 0, 0), SIMD3(1, 0, 0)],
                          edgeSource: [0, 1], edgeDestination: [1, 0])
        XCTAssertEqual(g.edgeVectors, [SIMD3(1, 0, 0), SIMD3(-1, 0, 0)])
        // 90° about z: x → y.
        let t = g.transformed(by: Rotation(rowMajor: [0, -1, 0, 1, 0, 0, 0, 0, 1]))
        XCTAssertEqual(t.edgeVectors[0], SIMD3(0, 1, 0))
        XCTAssertEqual(t.edgeVectors[1], SIMD3(0, -1, 0))
        XCTAssertEqual(t.atomCount, 2)
        XCTAssertEqual(t.edgeCount, 2)
        XCTAssertEqual(g.translated(by: SIMD3(5, 6, 7)).edgeVectors, g.edgeVectors)
    }

    /// `v_e = x[src] + n_e · cell − x[dst]`, and rotating a periodic graph rotates its cell too.
    func testPeriodicEdgeVectorsUseShiftsAndCells() {
        let cell: [SIMD3<Double>] = [SIMD3(3, 0, 0), SIMD3(0.5, 4, 0), SIMD3(0, 0, 5)]
        let g = AtomGraph(atomicNumbers: [1, 8], atomGraph: [0, 0], graphCount: 1,
                          positions: [SIMD3(0.2, 0.1, 0), SIMD3(2.9, 0.3, 4.8)], cells: cell,
                          edgeSource: [1, 0], edgeDestination: [0, 1], edgeShifts: [SIMD3(-1, 0, -1), SIMD3(1, 0, 1)])
        XCTAssertNoThrow(try g.validate())
        let v = g.edgeVectors
        XCTAssertEqual(v[0].x, 2.9 - 3 - 0.2, accuracy: 1e-12)
        XCTAssertEqual(v[0].z, 4.8 - 5, accuracy: 1e-12)
        XCTAssertEqual(v[1], -v[0])
        let r = Rotation(rowMajor: [0, -1, 0, 1, 0, 0, 0, 0, 1])
        let rv = g.transformed(by: r).edgeVectors
        for e in 0..<2 { XCTAssertLessThan(((rv[e] - r * v[e]) * (rv[e] - r * v[e])).sum(), 1e-24) }
        let pairs = EdgePairs(g)
        XCTAssertEqual(pairs.pair, [0, 0])
        XCTAssertEqual(pairs.representative, [0])
    }

    /// Reverse edges share a pair; an edge whose reverse is missing, or has another shift, does not.
    func testEdgePairs() {
        let g = AtomGraph(atomicNumbers: [1, 1, 1], atomGraph: [0, 0, 0], graphCount: 1,
                          positions: [SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(0, 1, 0)],
                          cells: [SIMD3(9, 0, 0), SIMD3(0, 9, 0), SIMD3(0, 0, 9)],
                          edgeSource: [0, 1, 2, 0, 1, 1], edgeDestination: [1, 0, 0, 2, 2, 2],
                          edgeShifts: [.zero, .zero, .zero, .zero, .zero, SIMD3(1, 0, 0)])
        let p = EdgePairs(g)
        XCTAssertEqual(p.pair, [0, 0, 1, 1, 2, 3])
        XCTAssertEqual(p.representative, [0, 2, 4, 5])
        XCTAssertEqual(p.count, 4)
    }

    func testOutputSpecComponents() {
        XCTAssertEqual(OutputSpec.Kind.scalar.components, 1)
        XCTAssertEqual(OutputSpec.Kind.vector.components, 3)
        XCTAssertEqual(OutputSpec.Kind.rank2.components, 9)
    }
}
