import Foundation
import XCTest
import SE3Tensor

final class SE3TensorModuleTests: XCTestCase {
    func testModuleName() { XCTAssertEqual(SE3TensorModule.name, "SE3Tensor") }
}
