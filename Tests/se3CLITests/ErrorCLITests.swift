import Foundation
import SE3TestSupport
import XCTest

/// Bad input: a non-zero exit and `se3: <message naming the file and field>` on stderr, never a trap.
final class ErrorCLITests: XCTestCase {
    var scratch: URL!

    override func setUp() { scratch = RunFiles.scratch("errors") }
    override func tearDown() { try? FileManager.default.removeItem(at: scratch) }

    func assertFails(_ args: [String], mentions: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try TestEnvironment.runPlain(args)
        XCTAssertFalse(r.timedOut, r.summary, file: file, line: line)
        XCTAssertEqual(r.status, 1, "exit status 1 (not a crash)\n" + r.summary, file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("se3: "), r.summary, file: file, line: line)
        for m in mentions { XCTAssertTrue(r.stderr.contains(m), "stderr should mention \(m)\n" + r.summary, file: file, line: line) }
    }

    func testMissingConfigKeyNamesFileAndKey() throws {
        let text = try String(contentsOfFile: TestEnvironment.packageRoot.appendingPathComponent(RunFiles.bundledConfig).path,
                              encoding: .utf8)
        let config = scratch.appendingPathComponent("no-epochs.yaml")
        try text.replacingOccurrences(of: "  epochs: 30\n", with: "").write(to: config, atomically: true, encoding: .utf8)
        XCTAssertFalse(try String(contentsOf: config, encoding: .utf8).contains("  epochs:"))
        try assertFails(["train", "--config", config.path, "--run-dir", scratch.appendingPathComponent("r").path],
                        mentions: [config.path, "training.epochs", "missing"])
    }

    /// A typo in a config key (in the file or in `--set`) stops before anything runs, naming the
    /// file, the key path and the nearest known key.
    func testUnknownConfigKeysAreNamedWithASuggestion() throws {
        let text = try String(contentsOfFile: TestEnvironment.packageRoot.appendingPathComponent(RunFiles.bundledConfig).path,
                              encoding: .utf8)
        let config = scratch.appendingPathComponent("typo.yaml")
        try text.replacingOccurrences(of: "  lr: ", with: "  lrr: ").write(to: config, atomically: true, encoding: .utf8)
        try assertFails(["train", "--config", config.path, "--run-dir", scratch.appendingPathComponent("r").path],
                        mentions: [config.path, "training.lrr: unknown key", "did you mean training.lr?"])
        try assertFails(["train", "--config", RunFiles.bundledConfig, "--run-dir", scratch.appendingPathComponent("r").path,
                         "--set", "model.chanels=64"],
                        mentions: [RunFiles.bundledConfig, "model.chanels: unknown key", "--set model.chanels=64",
                                   "did you mean model.channels?"])
        try assertFails(["bench", "--config", RunFiles.bundledConfig, "--set", "training.sheduler=cosine"],
                        mentions: ["training.sheduler: unknown key"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("r").path), "nothing ran")
    }

    func testNonexistentDataPathIsNamed() throws {
        let missing = scratch.appendingPathComponent("nowhere").path
        try assertFails(["train", "--config", RunFiles.bundledConfig, "--run-dir", scratch.appendingPathComponent("r").path,
                         "--set", "data.train=\(missing)"], mentions: [missing])
        // a bad test split fails before training, not after it
        let run = scratch.appendingPathComponent("t")
        try assertFails(["train", "--config", RunFiles.bundledConfig, "--run-dir", run.path, "--set", "data.test=\(missing)"],
                        mentions: [missing])
        XCTAssertFalse(FileManager.default.fileExists(atPath: run.appendingPathComponent("metrics.jsonl").path), "no step ran")
    }

    func testCorruptDatasetIsNamed() throws {
        let source = TestEnvironment.packageRoot.appendingPathComponent("configs/data/qm9-small/val/shard-00000.h5")
        let bytes = try Data(contentsOf: source)
        let truncated = scratch.appendingPathComponent("truncated.h5")
        try bytes.prefix(bytes.count / 3).write(to: truncated)
        try assertFails(["train", "--config", RunFiles.bundledConfig, "--run-dir", scratch.appendingPathComponent("r").path,
                         "--set", "data.val=\(truncated.path)"], mentions: [truncated.path])
        let notHDF5 = scratch.appendingPathComponent("text.h5")
        try Data("hello".utf8).write(to: notHDF5)
        try assertFails(["evaluate", "--checkpoint", notHDF5.path, "--data", "configs/data/qm9-small/val"], mentions: [notHDF5.path])
    }

    func testMissingTargetAndUnknownElementAreNamed() throws {
        try assertFails(["train", "--config", RunFiles.bundledConfig, "--run-dir", scratch.appendingPathComponent("r").path,
                         "--set", "targets=[{name: nope}]"], mentions: ["configs/data/qm9-small/train/shard-00000.h5", "/graph/nope"])
        try assertFails(["train", "--config", RunFiles.bundledConfig, "--run-dir", scratch.appendingPathComponent("r").path,
                         "--set", "model.elements=[1, 6, 7, 8]"], mentions: ["shard-00000.h5", "/atomic_numbers", "F"])
    }

    /// A shard whose structure has two atoms on one spot trains nothing: the error names the
    /// shard file, the structure, the atoms and `data.min_distance`.
    func testCoincidentAtomsAreNamed() throws {
        var xyz = ""
        for k in 0..<10 {
            let second = k == 6 ? "0.0 0.0 0.0" : "1.1 0.0 0.0"
            xyz += "2\nProperties=species:S:1:pos:R:3 energy=\(-10.0 - Double(k) * 0.1) pbc=\"F F F\"\nC 0.0 0.0 0.0\nO \(second)\n"
        }
        let input = scratch.appendingPathComponent("coincident.xyz"), out = scratch.appendingPathComponent("data")
        try xyz.write(to: input, atomically: true, encoding: .utf8)
        let p = try TestEnvironment.runPlain(["prepare", "xyz", "--input", input.path, "--out", out.path, "--split", "1,0,0"])
        XCTAssertEqual(p.status, 0, p.summary)
        let train = out.appendingPathComponent("train").path
        try assertFails(["train", "--config", RunFiles.bundledConfig, "--run-dir", scratch.appendingPathComponent("r").path,
                         "--set", "data.train=\(train)", "--set", "data.val=null", "--set", "data.test=null", "--set", "targets=[{name: energy}]",
                         "--set", "data.batch_size=10", "--set", "data.shuffle=false"],
                        mentions: [train + "/shard-00000.h5, structure 6", "atoms 1 and 0 are 0.0 Å apart", "data.min_distance (0.1 Å)"])
    }

    func testMissingCheckpointIsNamed() throws {
        let missing = scratch.appendingPathComponent("none.h5").path
        try assertFails(["evaluate", "--checkpoint", missing, "--data", "configs/data/qm9-small/val"], mentions: [missing])
        try assertFails(["train", "--resume", missing], mentions: [missing])
    }
}
