import XCTest
import SE3Data

final class StructureTests: XCTestCase {
    func testTargetKindComponentsAndPeriodicity() {
        XCTAssertEqual(TargetKind.allCases.map(\.components), [1, 3, 9])
        var s = Structure(atomicNumbers: [1, 8], positions: [.zero, SIMD3(0, 0, 1)])
        XCTAssertEqual(s.atomCount, 2)
        XCTAssertFalse(s.isPeriodic)
        s.cell = [SIMD3(5, 0, 0), SIMD3(0, 5, 0), SIMD3(0, 0, 5)]
        s.pbc = SIMD3(0, 0, 0)
        XCTAssertFalse(s.isPeriodic)
        s.pbc = SIMD3(1, 0, 0)
        XCTAssertTrue(s.isPeriodic)
    }
}
