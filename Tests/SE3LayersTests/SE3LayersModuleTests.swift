import XCTest
import SE3Layers

final class SE3LayersModuleTests: XCTestCase {
    func testModuleName() { XCTAssertEqual(SE3LayersModule.name, "SE3Layers") }
}
