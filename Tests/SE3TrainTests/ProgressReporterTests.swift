import XCTest
@testable import SE3Train

final class ProgressReporterTests: XCTestCase {
    func testLogsGetOneLinePerTenth() {
        var out: [String] = []
        let p = ProgressReporter(label: "predict", noun: "structures", total: 1000, isTerminal: false) { out.append($0) }
        for i in 1...1000 { p.update(i) }
        p.finish(1000)
        XCTAssertEqual(out.count, 10, out.joined())
        XCTAssertTrue(out.allSatisfy { $0.hasSuffix("\n") && !$0.contains("\r") })
        XCTAssertTrue(out[0].hasPrefix("predict: 100/1000 structures (10%), "), out[0])
        XCTAssertTrue(out[0].contains("structures/s, ETA "), out[0])
        XCTAssertTrue(out[9].hasPrefix("predict: 1000/1000 structures (100%)"), out[9])
        XCTAssertFalse(out[9].contains("ETA"), out[9])
    }

    func testTerminalRedrawsOneLineAndEndsIt() {
        var out: [String] = []
        let p = ProgressReporter(label: "evaluate", noun: "structures", total: 3, isTerminal: true) { out.append($0) }
        p.update(1)
        p.update(2)   // within 0.1 s of the last draw: skipped
        p.finish(3)
        XCTAssertEqual(out.count, 2, "\(out)")
        XCTAssertTrue(out.allSatisfy { $0.hasPrefix("\r\u{1B}[2K") }, "\(out)")
        XCTAssertFalse(out[0].contains("\n"), "\(out)")
        XCTAssertTrue(out[1].contains("3/3 structures (100%)") && out[1].hasSuffix("\n"), "\(out)")
        XCTAssertFalse(out.contains { $0.contains("2/3") }, "redraws are throttled: \(out)")
    }

    func testEmptyWorkStillEnds() {
        var out: [String] = []
        let p = ProgressReporter(label: "prepare", noun: "frames", total: 0, isTerminal: false) { out.append($0) }
        p.finish(0)
        XCTAssertEqual(out, ["prepare: 0/0 frames (100%), 0.0 frames/s\n"])
    }
}
