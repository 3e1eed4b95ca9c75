import Foundation
import SE3TestSupport
import XCTest

/// What every architecture's CLI test checks, through the real commands: `mpirun -np 2 se3 train`
/// (both ranks end with identical parameters, the loss of the last 15 of 60 steps is below the
/// first 15, the resolved config names the architecture), `se3 evaluate` on 2 ranks and on 1
/// (the same MAE), then `se3 check-equivariance`, whose JSON report it returns.
enum ArchitectureRun {
    static func trainEvaluateCheck(config: String, overrides: [String], architecture: String, run: URL,
                                   file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let r = try TestEnvironment.runUnderMPI(np: 2, ["train", "--config", config, "--run-dir", run.path, "--quiet"] + overrides,
                                                timeout: 300)
        XCTAssertFalse(r.timedOut, r.summary, file: file, line: line)
        XCTAssertEqual(r.status, 0, r.summary, file: file, line: line)
        let done = RunFiles.doneLines(r.stdout)
        XCTAssertEqual(Set(done.keys), [0, 1], r.summary, file: file, line: line)
        XCTAssertEqual(try XCTUnwrap(done[0]?["checksum"] as? String), try XCTUnwrap(done[1]?["checksum"] as? String),
                       "both ranks hold the same parameters", file: file, line: line)
        XCTAssertEqual(done[0]?["step"] as? Int, 60, file: file, line: line)
        let losses = try RunFiles.stepLosses(run)
        if losses.count == 60 {
            let first = (1...15).map { losses[$0]! }.reduce(0, +) / 15, last = (46...60).map { losses[$0]! }.reduce(0, +) / 15
            XCTAssertLessThan(last, first, "mean loss of the last 15 steps below the first 15: \(losses.sorted { $0.key < $1.key })",
                              file: file, line: line)
        } else {
            XCTFail("60 step losses expected, got \(losses.count): \(r.summary)", file: file, line: line)
        }
        let resolved = try String(contentsOf: run.appendingPathComponent("config.yaml"), encoding: .utf8)
        XCTAssertTrue(resolved.contains(architecture), resolved, file: file, line: line)

        let val = "configs/data/qm9-small/val"
        let e = try TestEnvironment.runUnderMPI(np: 2, ["evaluate", "--checkpoint", run.path, "--data", val, "--json"], timeout: 300)
        XCTAssertEqual(e.status, 0, e.summary, file: file, line: line)
        func mae(_ out: String) throws -> Double {
            let targets = try XCTUnwrap(RunFiles.jsonLines(out).first?["targets"] as? [String: Any])
            return try XCTUnwrap((targets["homo"] as? [String: Any])?["mae"] as? Double)
        }
        let single = try TestEnvironment.runPlain(["evaluate", "--checkpoint", run.path, "--data", val, "--json"], timeout: 300)
        XCTAssertEqual(single.status, 0, single.summary, file: file, line: line)
        let m2 = try mae(e.stdout), m1 = try mae(single.stdout)
        XCTAssertGreaterThan(m2, 0, file: file, line: line)
        XCTAssertEqual(m1, m2, accuracy: 1e-6 * m2, file: file, line: line)

        let c = try TestEnvironment.runPlain(["check-equivariance", "--checkpoint", run.path, "--data", val, "--limit", "40",
                                              "--rotations", "3", "--json"], timeout: 300)
        XCTAssertEqual(c.status, 0, c.summary, file: file, line: line)
        return try XCTUnwrap(RunFiles.jsonLines(c.stdout).first, c.summary, file: file, line: line)
    }
}
