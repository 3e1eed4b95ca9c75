import Foundation
import SE3Distributed
import XCTest

/// A communicator that claims to be alone but double-counts sums: the self-test must notice.
private final class DoubleCountingCommunicator: Communicator {
    let rank = 0
    let size = 1
    var collectiveTimeout = 60.0
    func allreduceSum(_ buffer: inout [Float]) throws { for i in buffer.indices { buffer[i] *= 2 } }
    func allreduceSum(_ buffer: inout [Double]) throws { for i in buffer.indices { buffer[i] *= 2 } }
    func allreduceMax(_ buffer: inout [Double]) throws {}
    func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws {}
    func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) throws {}
    func broadcast(_ buffer: inout [Float], root: Int) throws {}
    func broadcast(_ buffer: inout [Double], root: Int) throws {}
    func broadcast(_ bytes: inout [UInt8], root: Int) throws {}
    func broadcast(_ buffer: UnsafeMutableBufferPointer<Float>, root: Int) throws {}
    func broadcast(_ buffer: UnsafeMutableBufferPointer<Double>, root: Int) throws {}
    func allgather(_ value: [Double]) throws -> [[Double]] { [value] }
    func barrier() throws {}
    func abort(_ message: String, code: Int32) -> Never { fatalError(message) }
}

final class DistributedSelfTestTests: XCTestCase {
    func testSingleProcessPassesWithClosedFormChecksums() throws {
        let report = try DistributedSelfTest(comm: SingleProcessCommunicator(), count: 50).run()
        let expected = SelfTestExpectation(count: 50, size: 1)
        XCTAssertTrue(report.ok, "\(report.failures)")
        XCTAssertEqual(report.failures, [])
        XCTAssertEqual(report.checks, 12)
        XCTAssertEqual(report.floatSum, expected.floatSum)
        XCTAssertEqual(report.doubleSum, expected.doubleSum)
        XCTAssertEqual(report.doubleMax, expected.doubleMax)
        XCTAssertEqual(report.gathered, expected.gathered)
        XCTAssertEqual(report.broadcast, expected.broadcast)
    }

    func testDetectsWrongReductions() throws {
        let report = try DistributedSelfTest(comm: DoubleCountingCommunicator(), count: 20).run()
        XCTAssertFalse(report.ok)
        XCTAssertTrue(report.failures.contains("allreduceSum(Float)"), "\(report.failures)")
        XCTAssertTrue(report.failures.contains("allreduceSum(scalar)"), "\(report.failures)")
        XCTAssertFalse(report.failures.contains("allgather"), "\(report.failures)")
    }

    func testInjectedFailureOnlyOnItsRank() throws {
        XCTAssertThrowsError(try DistributedSelfTest(comm: SingleProcessCommunicator(), count: 5, failRank: 0).run()) {
            XCTAssertEqual($0 as? DistributedSelfTestError, .injectedFailure(rank: 0))
        }
        XCTAssertTrue(try DistributedSelfTest(comm: SingleProcessCommunicator(), count: 5, failRank: 1).run().ok)
    }

    func testJSONLineRoundTripsWithEscapes() throws {
        let report = DistributedSelfTestReport(
            rank: 3, size: 4, ok: false, checks: 11, count: 7, floatSum: 1.5, doubleSum: -2.25, doubleMax: 1e20,
            gathered: 10, broadcast: "quote \" backslash \\ newline \n tab \t bell \u{7} ✓",
            failures: ["allgather", "broadcast(string:)"])
        let line = report.jsonLine
        XCTAssertTrue(line.hasPrefix("{\"rank\":3,\"size\":4,\"ok\":false,"), line)
        XCTAssertFalse(line.contains("\n"), "one line")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(object["rank"] as? Int, 3)
        XCTAssertEqual(object["ok"] as? Bool, false)
        XCTAssertEqual(object["doubleSum"] as? Double, -2.25)
        XCTAssertEqual(object["doubleMax"] as? Double, 1e20)
        XCTAssertEqual(object["broadcast"] as? String, report.broadcast)
        XCTAssertEqual(object["failures"] as? [String], report.failures)
    }
}
