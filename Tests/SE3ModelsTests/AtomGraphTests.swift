import XCTest
import SE3Models

final class AtomGraphTests: XCTestCase {
    func testTransformedRotatesEdgeVectors() {
        let g = AtomGraph(atomicNumbers: [1, 8], atomGraph: [0, 0], graphCount: 1,
                          edgeSource: [0, 1], edgeDestination: [1, 0],
                          edgeVectors: [SIMD3(1, 0, 0), SIMD3(-1, 0, 0)])
        // 90° about z: x → y.
        let r: [Double] = [0, -1, 0, 1, 0, 0, 0, 0, 1]
        let t = g.transformed(by: r)
        XCTAssertEqual(t.edgeVectors[0], SIMD3(0, 1, 0))
        XCTAssertEqual(t.edgeVectors[1], SIMD3(0, -1, 0))
        XCTAssertEqual(t.atomCount, 2)
        XCTAssertEqual(t.edgeCount, 2)
    }

    func testOutputSpecComponents() {
        XCTAssertEqual(OutputSpec.Kind.scalar.components, 1)
        XCTAssertEqual(OutputSpec.Kind.vector.components, 3)
        XCTAssertEqual(OutputSpec.Kind.rank2.components, 9)
    }
}
