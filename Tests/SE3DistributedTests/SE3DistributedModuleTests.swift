import XCTest
import SE3Distributed

final class SE3DistributedModuleTests: XCTestCase {
    func testModuleName() { XCTAssertEqual(SE3DistributedModule.name, "SE3Distributed") }
}
