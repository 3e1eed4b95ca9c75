import XCTest
import SE3Models

final class SE3ModelsModuleTests: XCTestCase {
    func testModuleName() { XCTAssertEqual(SE3ModelsModule.name, "SE3Models") }
}
