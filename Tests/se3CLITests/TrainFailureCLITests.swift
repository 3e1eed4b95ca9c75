import Foundation
import SE3TestSupport
import XCTest

/// How `se3 train` fails: hung ranks, rank-count mismatches on resume, failing disks.
extension TrainCLITests {
    /// Issue #11 item 5: a 1-rank checkpoint resumed under `mpirun -np 2` used to be read as
    /// twice as many epochs and end at once; now every rank refuses, naming both rank counts.
    func testResumeUnderAnotherNumberOfRanksIsRefused() throws {
        let run = scratch.appendingPathComponent("one-rank")
        let first = try TestEnvironment.runPlain(["train", "--config", RunFiles.bundledConfig, "--run-dir", run.path, "--quiet"]
                                                 + RunFiles.tinyModel(steps: 4), timeout: 120)
        XCTAssertEqual(first.status, 0, first.summary)
        let r = try TestEnvironment.runUnderMPI(np: 2, ["train", "--resume", run.path, "--quiet", "--set", "training.epochs=3"],
                                                timeout: 120)
        XCTAssertFalse(r.timedOut, r.summary)
        XCTAssertNotEqual(r.status, 0, r.summary)
        for m in ["step-00000004.h5", "world_size", "written by a run on 1 rank, but this run has 2 ranks", "mpirun -np 1"] {
            XCTAssertTrue(r.stderr.contains(m), "stderr should mention \(m)\n" + r.summary)
        }
        XCTAssertTrue(RunFiles.doneLines(r.stdout).isEmpty, r.summary)
        let latest = try String(contentsOf: run.appendingPathComponent("checkpoints/latest"), encoding: .utf8)
        XCTAssertEqual(latest.trimmingCharacters(in: .whitespacesAndNewlines), "step-00000004.h5", "nothing was written")
    }


}
