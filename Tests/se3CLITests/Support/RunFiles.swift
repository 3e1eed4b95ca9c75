import Foundation
import XCTest

/// Reading what `se3 train` leaves behind.
enum RunFiles {
    static func scratch(_ name: String) -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("se3-cli-\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    /// JSON objects among the lines of `text` (mpirun may interleave other output).
    static func jsonLines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { line in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("{") else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(t.utf8))) as? [String: Any]
        }
    }

    /// The `{"event":"done"}` line of each rank, by rank.
    static func doneLines(_ stdout: String) -> [Int: [String: Any]] {
        var out: [Int: [String: Any]] = [:]
        for j in jsonLines(stdout) where j["event"] as? String == "done" { out[j["rank"] as? Int ?? -1] = j }
        return out
    }

    static func metrics(_ run: URL) throws -> [[String: Any]] {
        jsonLines(try String(contentsOf: run.appendingPathComponent("metrics.jsonl"), encoding: .utf8))
    }

    /// Step → loss of the `"type":"step"` records.
    static func stepLosses(_ run: URL) throws -> [Int: Double] {
        var out: [Int: Double] = [:]
        for r in try metrics(run) where r["type"] as? String == "step" {
            if let s = r["step"] as? Int, let l = r["loss"] as? Double { out[s] = l }
        }
        return out
    }

    static let bundledConfig = "configs/tfn-qm9-small.yaml"
    static let se3tConfig = "configs/se3t-qm9-small.yaml"

    /// A small, fast SE(3)-Transformer on the bundled subset (with `se3tConfig`).
    static func tinySE3T(steps: Int, logEvery: Int = 1) -> [String] {
        ["model.lmax=1", "model.channels=4", "model.layers=1", "model.heads=2", "model.div=1", "model.radial_hidden=8",
         "model.radial_count=6", "data.batch_size=8", "training.epochs=1", "training.max_steps=\(steps)",
         "training.warmup_steps=2", "training.lr=0.003", "training.loss=mse", "training.log_every=\(logEvery)"].flatMap { ["--set", $0] }
    }

    static let escnConfig = "configs/escn-qm9-small.yaml"

    /// A small, fast eSCN on the bundled subset (with `escnConfig`).
    static func tinyESCN(steps: Int, logEvery: Int = 1) -> [String] {
        ["model.lmax=2", "model.mmax=1", "model.sphere_channels=8", "model.hidden_channels=16", "model.edge_channels=8",
         "model.layers=2", "model.radial_count=32", "data.batch_size=16", "training.epochs=2", "training.max_steps=\(steps)",
         "training.warmup_steps=2", "training.lr=0.003", "training.log_every=\(logEvery)"].flatMap { ["--set", $0] }
    }

    /// A small, fast TFN on the bundled subset.
    static func tinyModel(steps: Int, logEvery: Int = 1) -> [String] {
        ["model.lmax=1", "model.channels=4", "model.layers=1", "model.radial_hidden=8", "model.radial_count=6",
         "data.batch_size=8", "training.epochs=1", "training.max_steps=\(steps)", "training.warmup_steps=2",
         "training.lr=0.01", "training.log_every=\(logEvery)"].flatMap { ["--set", $0] }
    }
}
