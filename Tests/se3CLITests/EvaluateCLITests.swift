import Foundation
import SE3TestSupport
import XCTest

/// `se3 evaluate` and `se3 bench` with the release binary.
final class EvaluateCLITests: XCTestCase {
    var scratch: URL!

    override func setUp() { scratch = RunFiles.scratch("eval") }
    override func tearDown() { try? FileManager.default.removeItem(at: scratch) }

    func testEvaluateUnderMPIWritesReadablePredictions() throws {
        let run = scratch.appendingPathComponent("run")
        let t = try TestEnvironment.runPlain(["train", "--config", RunFiles.bundledConfig, "--run-dir", run.path, "--quiet"]
                                             + RunFiles.tinyModel(steps: 10, logEvery: 5), timeout: 180)
        XCTAssertEqual(t.status, 0, t.summary)
        let val = "configs/data/qm9-small/val"
        let predictions = scratch.appendingPathComponent("pred.h5")
        let e = try TestEnvironment.runUnderMPI(np: 2, ["evaluate", "--checkpoint", run.path, "--data", val,
                                                        "--predictions", predictions.path, "--json", "--batch-size", "7"],
                                                timeout: 180)
        XCTAssertEqual(e.status, 0, e.summary)
        let lines = RunFiles.jsonLines(e.stdout)
        XCTAssertEqual(lines.count, 1, "one JSON line from rank 0\n" + e.summary)
        let report = try XCTUnwrap(lines.first)
        XCTAssertEqual(report["structures"] as? Int, 200)
        XCTAssertEqual(report["ranks"] as? Int, 2)
        let homo = try XCTUnwrap((report["targets"] as? [String: Any])?["homo"] as? [String: Any], e.summary)
        let mae = try XCTUnwrap(homo["mae"] as? Double), rmse = try XCTUnwrap(homo["rmse"] as? Double)
        XCTAssertEqual(homo["units"] as? String, "eV")
        XCTAssertGreaterThan(mae, 0)
        XCTAssertGreaterThanOrEqual(rmse, mae)

        // The trained TFN is E(3)-equivariant; a tolerance below rounding fails with exit status 1.
        let c = try TestEnvironment.runPlain(["check-equivariance", "--checkpoint", run.path, "--data", val, "--limit", "30"])
        XCTAssertEqual(c.status, 0, c.summary)
        for row in ["homo            graph  scalar  rotation", "translation", "inversion", "pass (tolerance 1e-08)"] {
            XCTAssertTrue(c.stdout.contains(row), "\(row)\n" + c.summary)
        }
        let strict = try TestEnvironment.runPlain(["check-equivariance", "--checkpoint", run.path, "--data", val, "--limit", "30",
                                                   "--tolerance", "1e-300"])
        XCTAssertEqual(strict.status, 1, strict.summary)
        XCTAssertTrue(strict.stdout.contains("FAIL"), strict.summary)

        // The single-process evaluation agrees with the two-rank one.
        let single = try TestEnvironment.runPlain(["evaluate", "--checkpoint", run.path, "--data", val, "--json"])
        XCTAssertEqual(single.status, 0, single.summary)
        let sh = ((RunFiles.jsonLines(single.stdout).first?["targets"] as? [String: Any])?["homo"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(sh?["mae"] as? Double), mae, accuracy: 1e-6 * mae)

        // The predictions file is a dataset the reader accepts: evaluating the same model on it
        // reproduces its own predictions (MAE ≈ 0), and it has the same ids as the source.
        let again = try TestEnvironment.runPlain(["evaluate", "--checkpoint", run.path, "--data", predictions.path, "--json"])
        XCTAssertEqual(again.status, 0, again.summary)
        let ah = ((RunFiles.jsonLines(again.stdout).first?["targets"] as? [String: Any])?["homo"] as? [String: Any])
        XCTAssertEqual(RunFiles.jsonLines(again.stdout).first?["structures"] as? Int, 200)
        XCTAssertLessThan(try XCTUnwrap(ah?["mae"] as? Double), 1e-5 * mae + 1e-9, again.summary)
        if let h5dump = ["/usr/bin/h5dump", "/usr/local/bin/h5dump"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            func ids(_ path: String) throws -> String {
                let r = try ProcessRunner.run(URL(fileURLWithPath: h5dump), ["-d", "/ids", path],
                                              environment: TestEnvironment.childEnvironment(), timeout: 30,
                                              currentDirectory: TestEnvironment.packageRoot)
                XCTAssertEqual(r.status, 0, r.summary)
                return r.stdout.split(separator: "\n").dropFirst().filter { !$0.contains("STORAGE_LAYOUT") }.joined(separator: "\n")
            }
            XCTAssertEqual(try ids(predictions.path), try ids(val + "/shard-00000.h5"))
        }
    }

    func testBenchPrintsOneJSONLine() throws {
        let r = try TestEnvironment.runPlain(["bench", "--config", RunFiles.bundledConfig, "--steps", "3", "--warmup", "1",
                                              "--set", "model.channels=4", "--set", "model.layers=1"], timeout: 180)
        XCTAssertEqual(r.status, 0, r.summary)
        let lines = RunFiles.jsonLines(r.stdout)
        XCTAssertEqual(lines.count, 1, r.summary)
        XCTAssertGreaterThan(lines.first?["molecules_per_second"] as? Double ?? 0, 0)
        XCTAssertGreaterThan(lines.first?["peak_memory_mb"] as? Double ?? 0, 0)
        XCTAssertEqual(lines.first?["steps"] as? Int, 3)
        XCTAssertEqual(lines.first?["ranks"] as? Int, 1)
    }
}
