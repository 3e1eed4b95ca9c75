import XCTest
import Foundation

final class CLITests: XCTestCase {
    func testPlaceholder() { XCTAssertTrue(true) }
}
