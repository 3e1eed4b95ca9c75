import SE3Config
import SE3Models
import Foundation
import SE3Distributed

/// What `se3 train` does, behind the thin command: resolve the config, the run directory and the
/// checkpoint to resume, build a `Trainer` and run it.
///
/// - Fresh run: `--config FILE` (+ `--set` overrides); the run directory is `--run-dir` or
///   `runs/<config file name without extension>`; it must not already hold checkpoints
///   (continue it with `--resume DIR`).
/// - Resume: `--resume PATH` (a checkpoint file, a run directory → its latest checkpoint, or its
///   `checkpoints` directory). The config is the checkpoint's own (with `--set` overrides, e.g.
///   `training.epochs=50`) unless `--config` is given; the run directory defaults to the one the
///   checkpoint belongs to, whose metrics.jsonl is cut back to the checkpoint's step.
/// - With `data.test`: the test set is checked first, and a run that was not stopped ends with
///   `TestEvaluation` (the best checkpoint on the validation and test splits).
public enum TrainingLauncher {
    public static func run(configPath: String?, overrides: [String], runDirectory: String?, resume: String?,
                           stopAfterSteps: Int? = nil, comm: Communicator, makeModel: ModelMaker,
                           showProgress: Bool = true) throws -> TrainSummary {
        let config: TrainConfig
        let configFile: String
        let run: RunDirectory
        var restored: (checkpoint: Checkpoint, file: String)? = nil
        if let resume {
            let (file, owner) = try RunDirectory.resolveCheckpoint(resume)
            let ckpt = try Checkpoint.read(path: file)
            if let configPath {
                config = try TrainConfig.load(path: configPath, overrides: overrides)
                configFile = configPath
            } else {
                config = try ckpt.config(file: file, overrides: overrides)
                configFile = "\(file) (/config)"
            }
            run = runDirectory.map(RunDirectory.init(path:)) ?? owner
            restored = (ckpt, file)
        } else {
            guard let configPath else {
                throw ConfigError(file: "command line", key: "--config", "a config file is required (or --resume PATH)")
            }
            config = try TrainConfig.load(path: configPath, overrides: overrides)
            configFile = configPath
            let name = ((configPath as NSString).lastPathComponent as NSString).deletingPathExtension
            run = RunDirectory(path: runDirectory ?? ("runs" as NSString).appendingPathComponent(name))
            if let existing = run.latestCheckpoint() {
                throw CheckpointError(file: run.path, field: "run directory",
                                      "already holds checkpoints (\((existing as NSString).lastPathComponent)): continue with --resume \(run.path), or choose another --run-dir")
            }
        }
        // the run's precision; a resumed run keeps its checkpoint's
        if let r = restored, r.checkpoint.dtype != config.training.dtype {
            throw ConfigError(file: configFile, key: "training.dtype",
                              "\(config.training.dtype.rawValue), but the checkpoint \(r.file) was trained in \(r.checkpoint.dtype.rawValue): a run keeps its precision")
        }
        switch config.training.dtype {
        case .float32: return try train(Float.self, config, configFile, comm, makeModel, restored, run, stopAfterSteps, showProgress)
        case .float64: return try train(Double.self, config, configFile, comm, makeModel, restored, run, stopAfterSteps, showProgress)
        }
    }

    static func train<T: TrainingScalar>(_: T.Type, _ config: TrainConfig, _ configFile: String, _ comm: Communicator,
                                         _ makeModel: ModelMaker, _ restored: (checkpoint: Checkpoint, file: String)?,
                                         _ run: RunDirectory, _ stopAfterSteps: Int?, _ showProgress: Bool) throws -> TrainSummary {
        let trainer = try Trainer<T>(config: config, configFile: configFile, comm: comm, makeModel: makeModel, resume: restored)
        try TestEvaluation.check(config)
        if comm.isRoot && showProgress {
            let params = trainer.store.count
            print("se3 train: \(config.model.name.rawValue), \(params) parameters, \(trainer.trainSet.count) training structures"
                  + "\(trainer.validationSet.map { ", \($0.count) validation" } ?? ""), \(comm.size) rank(s) × \(config.data.batchSize) per step, "
                  + "\(trainer.stepsPerEpoch) steps/epoch, \(T.dtype.rawValue), run directory \(run.path)"
                  + (restored.map { ", resuming at step \($0.checkpoint.step) from \($0.file)" } ?? ""))
        }
        var summary = try trainer.run(runDirectory: run, stopAfterSteps: stopAfterSteps, showProgress: showProgress)
        if !summary.stopped, let result = try TestEvaluation.run(run, config: trainer.config, comm: comm, makeModel: makeModel) {
            summary.test = result
            if comm.isRoot && showProgress { print(TestEvaluation.report(result)) }
        }
        return summary
    }
}
