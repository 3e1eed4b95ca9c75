import Foundation
import SE3Data
import SE3Distributed
import SE3Models

/// How `se3 train` ends when the config names a test set (`data.test`): validation picks the
/// best checkpoint (`best.h5`; without a validation set, the last checkpoint), and that
/// checkpoint is evaluated on the validation and the test split (`CheckpointEvaluation`, all
/// ranks). Rank 0 logs `{"type":"test", step, checkpoint, val: {…}, test: {target: {mae, rmse,
/// baseline_mae, …}}}` to `metrics.jsonl` and redraws `curves.svg`. The test figure is the one to
/// quote; validation drove the tuning.
public enum TestEvaluation {
    public struct Result: Sendable {
        public var checkpoint: String
        /// The optimiser step of the evaluated checkpoint.
        public var step: Int
        public var validation: ValidationMetrics?
        public var test: ValidationMetrics
    }

    /// Checks, before training, that the test set exists and has the configured targets and
    /// only the model's elements (so a typo fails now, not after the training).
    public static func check(_ config: TrainConfig) throws {
        guard let path = config.data.test else { return }
        let d = try Dataset(path: path)
        _ = try DatasetChecks.resolveTargets(config.targets, in: d)
        try DatasetChecks.checkElements(d, elements: config.model.common.elements)
    }

    /// Evaluates the run's best checkpoint on `data.val` and `data.test` (nil without `data.test`
    /// or without a checkpoint).
    public static func run(_ run: RunDirectory, config: TrainConfig, comm: Communicator,
                           makeModel: ModelMaker) throws -> Result? {
        guard let test = config.data.test else { return nil }
        try comm.barrier()   // rank 0 has published its checkpoints
        let best = FileManager.default.fileExists(atPath: run.bestPath) ? run.bestPath : run.latestCheckpoint()
        guard let file = best else { return nil }
        let step = try Checkpoint.read(path: file).step
        let validation = try config.data.val.map {
            try CheckpointEvaluation.run(checkpointPath: file, dataPath: $0, comm: comm, makeModel: makeModel).metrics
        }
        let metrics = try CheckpointEvaluation.run(checkpointPath: file, dataPath: test, comm: comm, makeModel: makeModel).metrics
        if comm.isRoot {
            let logger = try MetricsLogger(path: run.metricsPath, enabled: true)
            var record: [String: Any] = ["type": "test", "step": step, "checkpoint": file, "test": metrics.jsonObject,
                                         "test_loss": metrics.loss]
            if let v = validation { record["val"] = v.jsonObject; record["val_loss"] = v.loss }
            logger.log(record)
            try LossCurves.write(runs: [run.path], to: run.curvesPath)
        }
        return Result(checkpoint: file, step: step, validation: validation, test: metrics)
    }

    /// Lines for the terminal: per target, the validation and test MAE of the checkpoint and
    /// the test MAE of the mean predictor.
    public static func report(_ r: Result) -> String {
        let which = (r.checkpoint as NSString).lastPathComponent == "best.h5" ? "best checkpoint" : "last checkpoint"
        var lines = ["\(which) \(r.checkpoint) (step \(r.step)), MAE:"]
        for t in r.test.targets {
            var line = "  " + t.name.padding(toLength: max(12, t.name.count + 2), withPad: " ", startingAt: 0)
            if let v = r.validation?.targets.first(where: { $0.name == t.name }) {
                line += String(format: "validation %.4g %@   ", v.mae, t.units)
            }
            line += String(format: "test %.4g %@   (mean predictor on test: %.4g %@)", t.mae, t.units, t.baselineMAE, t.units)
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
