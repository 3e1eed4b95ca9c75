import Foundation
import SE3TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `se3 train` end to end with the release binary on the bundled QM9 subset.
final class TrainCLITests: XCTestCase {
    var scratch: URL!

    override func setUp() { scratch = RunFiles.scratch("train") }
    override func tearDown() { try? FileManager.default.removeItem(at: scratch) }

    /// `mpirun -np 2 se3 train`: both ranks end with bit-identical parameters and the loss fell.
    func testTwoRanksEndIdenticalAndLossFalls() throws {
        let run = scratch.appendingPathComponent("mpi")
        let r = try TestEnvironment.runUnderMPI(np: 2, ["train", "--config", RunFiles.bundledConfig, "--run-dir", run.path, "--quiet"]
                                                + RunFiles.tinyModel(steps: 40), timeout: 240)
        XCTAssertFalse(r.timedOut, r.summary)
        XCTAssertEqual(r.status, 0, r.summary)
        let done = RunFiles.doneLines(r.stdout)
        XCTAssertEqual(Set(done.keys), [0, 1], r.summary)
        let c0 = try XCTUnwrap(done[0]?["checksum"] as? String), c1 = try XCTUnwrap(done[1]?["checksum"] as? String)
        XCTAssertEqual(c0, c1, "both ranks hold the same parameters")
        XCTAssertEqual(done[0]?["ranks"] as? Int, 2)
        XCTAssertEqual(done[0]?["step"] as? Int, 40)
        let losses = try RunFiles.stepLosses(run)
        XCTAssertEqual(losses.count, 40)
        let first = (1...8).map { losses[$0]! }.reduce(0, +) / 8, last = (33...40).map { losses[$0]! }.reduce(0, +) / 8
        XCTAssertLessThan(last, first, "mean loss of the last 8 steps below the first 8: \(losses.sorted { $0.key < $1.key })")
        // the logged checksum of the last step is the final one; the checkpoint is discoverable
        let steps = try RunFiles.metrics(run).filter { $0["type"] as? String == "step" }
        XCTAssertEqual(steps.last?["checksum"] as? String, c0)
        let latest = try String(contentsOf: run.appendingPathComponent("checkpoints/latest"), encoding: .utf8)
        XCTAssertEqual(latest.trimmingCharacters(in: .whitespacesAndNewlines), "step-00000040.h5")
        XCTAssertNotNil(done[0]?["val"] as? [String: Any], "validation metrics on rank 0")
    }

    /// Stopped after 13 steps and resumed (both under mpirun -np 2): the step losses after
    /// resuming equal those of an uninterrupted run, and so do the final parameters.
    func testResumeEqualsUninterruptedRun() throws {
        let a = scratch.appendingPathComponent("a"), b = scratch.appendingPathComponent("b")
        let args = RunFiles.tinyModel(steps: 24) + ["--quiet"]
        let full = try TestEnvironment.runUnderMPI(np: 2, ["train", "--config", RunFiles.bundledConfig, "--run-dir", a.path] + args,
                                                   timeout: 240)
        XCTAssertEqual(full.status, 0, full.summary)
        let stopped = try TestEnvironment.runUnderMPI(np: 2, ["train", "--config", RunFiles.bundledConfig, "--run-dir", b.path,
                                                              "--stop-after", "13"] + args, timeout: 240)
        XCTAssertEqual(stopped.status, 0, stopped.summary)
        XCTAssertEqual(RunFiles.doneLines(stopped.stdout)[0]?["stopped"] as? Bool, true, stopped.summary)
        XCTAssertEqual(RunFiles.doneLines(stopped.stdout)[0]?["step"] as? Int, 13, stopped.summary)
        let resumed = try TestEnvironment.runUnderMPI(np: 2, ["train", "--resume", b.path, "--quiet"], timeout: 240)
        XCTAssertEqual(resumed.status, 0, resumed.summary)
        let la = try RunFiles.stepLosses(a), lb = try RunFiles.stepLosses(b)
        XCTAssertEqual(la.count, 24)
        XCTAssertEqual(lb, la, "losses after resuming equal the uninterrupted run's")
        let ca = RunFiles.doneLines(full.stdout)[0]?["checksum"] as? String
        XCTAssertNotNil(ca)
        XCTAssertEqual(RunFiles.doneLines(resumed.stdout)[0]?["checksum"] as? String, ca)
        XCTAssertEqual(RunFiles.doneLines(resumed.stdout)[1]?["checksum"] as? String, ca)
    }

    /// SIGTERM: the step in progress finishes, a checkpoint is written, exit status 0.
    func testSigtermCheckpointsAndExitsZero() throws {
        let run = scratch.appendingPathComponent("sig")
        let process = Process()
        process.executableURL = try TestEnvironment.se3Binary()
        process.currentDirectoryURL = TestEnvironment.packageRoot
        process.environment = TestEnvironment.childEnvironment()
        process.arguments = ["train", "--config", RunFiles.bundledConfig, "--run-dir", run.path, "--quiet"]
            + RunFiles.tinyModel(steps: 100_000) + ["--set", "training.epochs=1000"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let collector = PipeCollector(out)
        try process.run()
        let metrics = run.appendingPathComponent("metrics.jsonl")
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, ((try? String(contentsOf: metrics, encoding: .utf8)) ?? "").isEmpty { usleep(50_000) }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let stdout = collector.text(waitingUpTo: 10)
        XCTAssertEqual(process.terminationStatus, 0, stdout)
        let done = try XCTUnwrap(RunFiles.doneLines(stdout)[0], stdout)
        XCTAssertEqual(done["stopped"] as? Bool, true)
        let step = try XCTUnwrap(done["step"] as? Int)
        let latest = try String(contentsOf: run.appendingPathComponent("checkpoints/latest"), encoding: .utf8)
        XCTAssertEqual(latest.trimmingCharacters(in: .whitespacesAndNewlines), String(format: "step-%08d.h5", step))
    }
}

extension TrainCLITests {
    /// `sync: parameters` (periodic model averaging every 3 steps, 10 steps): the run ends with
    /// identical parameters on both ranks although 10 is not a multiple of 3.
    func testParameterAveragingEndsIdentical() throws {
        let run = scratch.appendingPathComponent("avg")
        let r = try TestEnvironment.runUnderMPI(np: 2, ["train", "--config", RunFiles.bundledConfig, "--run-dir", run.path, "--quiet",
                                                        "--set", "distributed.sync=parameters", "--set", "distributed.average_every=3"]
                                                + RunFiles.tinyModel(steps: 10), timeout: 240)
        XCTAssertEqual(r.status, 0, r.summary)
        let done = RunFiles.doneLines(r.stdout)
        XCTAssertEqual(Set(done.keys), [0, 1], r.summary)
        XCTAssertEqual(done[0]?["checksum"] as? String, done[1]?["checksum"] as? String, r.summary)
        let checksums = try RunFiles.metrics(run).filter { $0["type"] as? String == "step" }
        XCTAssertEqual(checksums.count, 10)
    }

    /// A non-finite gradient on one rank (test-only fault injection) skips that step on both
    /// ranks before the update: the run ends with identical, finite parameters and logs the
    /// skipped steps; past `training.max_bad_steps` it stops naming the step and the batch.
    func testNonFiniteGradientsSkipTheUpdate() throws {
        for sync in ["gradients", "parameters"] {
            let run = scratch.appendingPathComponent("nan-\(sync)")
            let r = try TestEnvironment.runUnderMPI(np: 2, ["train", "--config", RunFiles.bundledConfig, "--run-dir", run.path, "--quiet",
                                                            "--set", "distributed.sync=\(sync)"] + RunFiles.tinyModel(steps: 10),
                                                    timeout: 300, exported: ["SE3_FAULT_NAN_GRADIENT": "3,5@1"])
            XCTAssertEqual(r.status, 0, r.summary)
            let done = RunFiles.doneLines(r.stdout)
            XCTAssertEqual(done[0]?["checksum"] as? String, done[1]?["checksum"] as? String, r.summary)
            XCTAssertEqual(done[0]?["step"] as? Int, 10)
            let skipped = try RunFiles.metrics(run).filter { $0["type"] as? String == "skipped_step" }
            XCTAssertEqual(skipped.compactMap { $0["step"] as? Int }, [3, 5], sync)
            let losses = try RunFiles.stepLosses(run)
            XCTAssertEqual(Set(losses.keys), Set(1...10).subtracting([3, 5]), sync)
            XCTAssertTrue(losses.values.allSatisfy(\.isFinite))
        }
        let run = scratch.appendingPathComponent("nan-stop")
        let r = try TestEnvironment.runUnderMPI(np: 2, ["train", "--config", RunFiles.bundledConfig, "--run-dir", run.path, "--quiet",
                                                        "--set", "training.max_bad_steps=1"] + RunFiles.tinyModel(steps: 10),
                                                timeout: 300, exported: ["SE3_FAULT_NAN_GRADIENT": "3,5@1"])
        XCTAssertNotEqual(r.status, 0, r.summary)
        for m in ["training.max_bad_steps", "step 5 (epoch 1)", "2 skipped steps", "shard-00000.h5#"] {
            XCTAssertTrue(r.stderr.contains(m), "stderr should mention \(m)\n" + r.summary)
        }
    }
}
