import Foundation
import SE3TestSupport
import XCTest

/// eSCN through the same commands as TFN: a real 2-rank training, evaluation and symmetry check.
final class ESCNCLITests: XCTestCase {
    var scratch: URL!

    override func setUp() { scratch = RunFiles.scratch("escn") }
    override func tearDown() { try? FileManager.default.removeItem(at: scratch) }

    /// `mpirun -np 2 se3 train` of an eSCN: both ranks end with identical parameters, the loss
    /// falls, `se3 evaluate` (2 ranks and 1) reads the checkpoint, and `se3 check-equivariance`
    /// finds the trained model rotation-invariant to the accuracy of its default sphere grids.
    func testTwoRankTrainingAndEvaluation() throws {
        let run = scratch.appendingPathComponent("run")
        let r = try TestEnvironment.runUnderMPI(np: 2, ["train", "--config", RunFiles.escnConfig, "--run-dir", run.path, "--quiet"]
                                                + RunFiles.tinyESCN(steps: 60), timeout: 300)
        XCTAssertFalse(r.timedOut, r.summary)
        XCTAssertEqual(r.status, 0, r.summary)
        let done = RunFiles.doneLines(r.stdout)
        XCTAssertEqual(Set(done.keys), [0, 1], r.summary)
        XCTAssertEqual(try XCTUnwrap(done[0]?["checksum"] as? String), try XCTUnwrap(done[1]?["checksum"] as? String),
                       "both ranks hold the same parameters")
        XCTAssertEqual(done[0]?["step"] as? Int, 60)
        let losses = try RunFiles.stepLosses(run)
        guard losses.count == 60 else { return XCTFail("60 step losses expected, got \(losses.count): \(r.summary)") }
        let first = (1...15).map { losses[$0]! }.reduce(0, +) / 15, last = (46...60).map { losses[$0]! }.reduce(0, +) / 15
        XCTAssertLessThan(last, first, "mean loss of the last 15 steps below the first 15: \(losses.sorted { $0.key < $1.key })")
        let config = try String(contentsOf: run.appendingPathComponent("config.yaml"), encoding: .utf8)
        XCTAssertTrue(config.contains("escn"), config)

        let val = "configs/data/qm9-small/val"
        let e = try TestEnvironment.runUnderMPI(np: 2, ["evaluate", "--checkpoint", run.path, "--data", val, "--json"], timeout: 300)
        XCTAssertEqual(e.status, 0, e.summary)
        func mae(_ out: String) throws -> Double {
            let targets = try XCTUnwrap(RunFiles.jsonLines(out).first?["targets"] as? [String: Any])
            return try XCTUnwrap((targets["homo"] as? [String: Any])?["mae"] as? Double)
        }
        let single = try TestEnvironment.runPlain(["evaluate", "--checkpoint", run.path, "--data", val, "--json"], timeout: 300)
        XCTAssertEqual(single.status, 0, single.summary)
        let m2 = try mae(e.stdout), m1 = try mae(single.stdout)
        XCTAssertGreaterThan(m2, 0)
        XCTAssertEqual(m1, m2, accuracy: 1e-6 * m2)

        // eSCN is SE(3)- (not E(3)-) equivariant; with fairchem-sized grids the S² activation is
        // sampled, not integrated exactly, so rotations leave a small, non-zero error
        let c = try TestEnvironment.runPlain(["check-equivariance", "--checkpoint", run.path, "--data", val, "--limit", "40",
                                              "--rotations", "3", "--json"], timeout: 300)
        XCTAssertEqual(c.status, 0, c.summary)
        let report = try XCTUnwrap(RunFiles.jsonLines(c.stdout).first, c.summary)
        XCTAssertEqual(report["inversion_claimed"] as? Bool, false)
        let rows = try XCTUnwrap(report["rows"] as? [[String: Any]])
        XCTAssertEqual(Set(rows.compactMap { $0["transform"] as? String }), ["rotation", "translation"])
        func error(_ t: String) -> Double? { rows.first { $0["transform"] as? String == t }?["error"] as? Double }
        XCTAssertLessThan(try XCTUnwrap(error("translation")), 1e-10, c.stdout)
        XCTAssertLessThan(try XCTUnwrap(error("rotation")), 5e-2, c.stdout)
        XCTAssertEqual(report["tolerance"] as? Double, 5e-2, "the architecture's own tolerance is the default")
    }
}
