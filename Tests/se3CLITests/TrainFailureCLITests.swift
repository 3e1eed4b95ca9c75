import Foundation
import SE3TestSupport
import XCTest

/// How `se3 train` fails: hung ranks, rank-count mismatches on resume, failing disks.
extension TrainCLITests {
    /// Issue #11 item 7: rank 1 sleeps at step 3 (test-only `SE3_FAULT_SLEEP`, as a rank stuck in
    /// I/O): rank 0 waits in the step's allreduce for `distributed.timeout_s` = 3 s, then aborts the
    /// job naming itself and the operation, instead of waiting forever. A pause shorter than the
    /// timeout is only a pause.
    func testHungRankEndsTheJobAfterTheCollectiveTimeout() throws {
        let run = scratch.appendingPathComponent("hung")
        let r = try TestEnvironment.runUnderMPI(np: 2, ["train", "--config", RunFiles.bundledConfig, "--run-dir", run.path, "--quiet",
                                                        "--set", "distributed.timeout_s=3"] + RunFiles.tinyModel(steps: 6),
                                                timeout: 120, exported: ["SE3_FAULT_SLEEP": "3:600@1"])
        XCTAssertFalse(r.timedOut, "the job hung\n" + r.summary)
        XCTAssertNotEqual(r.status, 0, r.summary)
        XCTAssertLessThan(r.seconds, 100, r.summary)
        for m in ["se3: rank 0: timed out after 3 s in MPI_Iallreduce", "distributed.timeout_s"] {
            XCTAssertTrue(r.stderr.contains(m), "stderr should mention \(m)\n" + r.summary)
        }
        XCTAssertTrue(RunFiles.doneLines(r.stdout).isEmpty, r.summary)

        let slow = scratch.appendingPathComponent("slow")
        let s = try TestEnvironment.runUnderMPI(np: 2, ["train", "--config", RunFiles.bundledConfig, "--run-dir", slow.path, "--quiet",
                                                        "--set", "distributed.timeout_s=30"] + RunFiles.tinyModel(steps: 6),
                                                timeout: 120, exported: ["SE3_FAULT_SLEEP": "3:2@1"])
        XCTAssertEqual(s.status, 0, s.summary)
        let done = RunFiles.doneLines(s.stdout)
        XCTAssertEqual(done[0]?["step"] as? Int, 6, s.summary)
        XCTAssertEqual(done[0]?["checksum"] as? String, done[1]?["checksum"] as? String, s.summary)
    }

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

    /// Issue #11 items 4 and 6: with `checkpoint.every_steps=2`, the fsync of step 4's checkpoint
    /// fails (test-only `SE3_FAULT_FSYNC`): the run stops with exit status 1 naming the file, step 2
    /// stays the newest checkpoint, and `--resume` continues from it to the end.
    func testFailedFsyncStopsTheRunAndKeepsThePreviousCheckpoint() throws {
        let run = scratch.appendingPathComponent("fsync")
        let args = ["train", "--config", RunFiles.bundledConfig, "--run-dir", run.path, "--quiet",
                    "--set", "checkpoint.every_steps=2", "--set", "checkpoint.keep_last=10"] + RunFiles.tinyModel(steps: 6)
        let r = try TestEnvironment.runPlain(args, timeout: 120, exported: ["SE3_FAULT_FSYNC": "step-00000004"])
        XCTAssertEqual(r.status, 1, r.summary)
        for m in ["se3: ", "step-00000004.h5", "fsync failed"] {
            XCTAssertTrue(r.stderr.contains(m), "stderr should mention \(m)\n" + r.summary)
        }
        let checkpoints = run.appendingPathComponent("checkpoints")
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: checkpoints.path)), ["step-00000002.h5", "latest"])
        let resumed = try TestEnvironment.runPlain(["train", "--resume", run.path, "--quiet"], timeout: 120)
        XCTAssertEqual(resumed.status, 0, resumed.summary)
        XCTAssertEqual(RunFiles.doneLines(resumed.stdout)[0]?["step"] as? Int, 6, resumed.summary)
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: checkpoints.path)),
                       ["step-00000002.h5", "step-00000004.h5", "step-00000006.h5", "latest"])
    }
}
