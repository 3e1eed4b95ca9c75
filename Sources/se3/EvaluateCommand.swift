import ArgumentParser
import Foundation
import SE3Distributed
import SE3Train

/// `se3 evaluate`: MAE and RMSE per target of a checkpoint on a dataset (see
/// `CheckpointEvaluation`); under mpirun the ranks split the dataset.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a checkpoint on a dataset: MAE and RMSE per target, optional predictions file.")

    @Option(help: "A checkpoint file, or a run directory (its best.h5, else its latest checkpoint).")
    var checkpoint: String

    @Option(help: "Dataset: an .h5 shard or a directory of shards.")
    var data: String

    @Option(help: "Write predictions in the dataset format to this .h5 file.")
    var predictions: String?

    @Flag(help: "Print one JSON line instead of a table.")
    var json = false

    @Option(name: .customLong("batch-size"), help: "Structures per batch per rank (default: the config's data.batch_size).")
    var batchSize: Int?

    func run() throws {
        ProcessMemory.retainFreedMemory()
        let comm = Communicators.automatic()
        let (file, result) = runRankGuarded(comm) { () throws -> (String, CheckpointEvaluation.Result) in
            let file = try Self.resolve(checkpoint)
            let r = try CheckpointEvaluation.run(checkpointPath: file, dataPath: data, predictionsPath: predictions,
                                                 batchSize: batchSize, comm: comm, makeModel: TrainCommand.makeModel,
                                                 progress: ProgressReporter.callback(label: "evaluate", noun: "structures"))
            return (file, r)
        }
        guard comm.isRoot else { return }
        let m = result.metrics
        if json {
            var line: [String: Any] = ["checkpoint": file, "data": data, "structures": result.structures, "ranks": comm.size,
                                       "loss": m.loss, "targets": m.jsonObject]
            if let p = result.predictionsPath { line["predictions"] = p }
            if let d = MetricsLogger.line(line) { print(String(decoding: d, as: UTF8.self)) }
        } else {
            print("checkpoint \(file)\ndata \(data): \(result.structures) structures, \(comm.size) rank(s), loss \(String(format: "%.5f", m.loss))")
            func cell(_ s: String, _ w: Int, left: Bool = false) -> String {
                let pad = String(repeating: " ", count: max(0, w - s.count))
                return left ? s + pad : pad + s
            }
            func num(_ x: Double) -> String { String(format: "%.6g", x) }
            print(cell("target", 16, left: true) + cell("units", 10, left: true) + cell("MAE", 14) + cell("RMSE", 14)
                  + cell("MAE (mean predictor)", 22))
            for t in m.targets {
                // energies and forces in meV (meV/atom, meV/Å), as potentials are compared
                let milli = t.units.hasPrefix("eV")
                let k = milli ? 1000.0 : 1, units = milli ? "m" + t.units : t.units
                print(cell(t.name, 16, left: true) + cell(units, 10, left: true) + cell(num(k * t.mae), 14)
                      + cell(num(k * t.rmse), 14) + cell(num(k * t.baselineMAE), 22))
            }
            if let p = result.predictionsPath { print("predictions written to \(p)") }
        }
        fflush(stdout)
    }

    /// A file as is; a run directory → checkpoints/best.h5, else its latest checkpoint.
    static func resolve(_ path: String) throws -> String {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            let run = (path as NSString).lastPathComponent == "checkpoints"
                ? RunDirectory(path: (path as NSString).deletingLastPathComponent) : RunDirectory(path: path)
            if FileManager.default.fileExists(atPath: run.bestPath) { return run.bestPath }
            return try RunDirectory.resolveCheckpoint(path).file
        }
        return path
    }
}
