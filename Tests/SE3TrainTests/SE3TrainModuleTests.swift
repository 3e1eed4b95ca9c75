import XCTest
import SE3Train

final class SE3TrainModuleTests: XCTestCase {
    func testModuleName() { XCTAssertEqual(SE3TrainModule.name, "SE3Train") }
}
