import ArgumentParser
import Foundation
import SE3Distributed
import SE3Models
import SE3Train

/// `se3 train`: see `TrainingLauncher` (SE3Train) for the semantics. Every rank prints one final
/// JSON line `{"event":"done","rank":…,"checksum":…}`; rank 0 also shows progress.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model from a YAML config (data-parallel under mpirun).")

    @Option(help: "The YAML config file (optional with --resume: the checkpoint's config is used).")
    var config: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a config value, e.g. --set training.epochs=5 (repeatable).",
                                                        valueName: "key=value"))
    var overrides: [String] = []

    @Option(name: .customLong("run-dir"), help: "Run directory (default: runs/<config name>).")
    var runDir: String?

    @Option(help: "Continue from a checkpoint file or a run directory (its latest checkpoint).")
    var resume: String?

    @Option(name: .customLong("stop-after"), help: ArgumentHelp("Stop as if signalled after this many steps (testing).",
                                                              visibility: .hidden))
    var stopAfter: Int?

    @Flag(name: .customLong("quiet"), help: "No progress lines (metrics.jsonl is still written).")
    var quiet = false

    func run() throws {
        ProcessMemory.retainFreedMemory()
        let comm = Communicators.automatic()
        StopSignal.install()
        let summary = runRankGuarded(comm) {
            try TrainingLauncher.run(configPath: config, overrides: overrides, runDirectory: runDir, resume: resume,
                                     stopAfterSteps: stopAfter, comm: comm, makeModel: Self.makeModel,
                                     showProgress: !quiet)
        }
        var line: [String: Any] = ["event": "done", "rank": comm.rank, "ranks": comm.size, "step": summary.steps,
                                   "epochs": summary.epochs, "stopped": summary.stopped, "checksum": summary.checksum]
        if let c = summary.checkpoint { line["checkpoint"] = c }
        if let f = summary.firstLoss { line["first_loss"] = f }
        if let l = summary.lastLoss { line["last_loss"] = l }
        if comm.isRoot, let v = summary.validation { line["val"] = v.jsonObject; line["val_loss"] = v.loss }
        if comm.isRoot, let t = summary.test { line["test"] = t.test.jsonObject; line["test_checkpoint"] = t.checkpoint }
        if let data = MetricsLogger.line(line) { print(String(decoding: data, as: UTF8.self)) }
        fflush(stdout)
    }
}

extension TrainCommand {
    /// Every architecture of the `Architecture` registry, by `model.name` (`ModelFactory` in SE3Models).
    static let makeModel = ModelMaker.registry
}
