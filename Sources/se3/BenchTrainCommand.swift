import ArgumentParser
import Foundation
import SE3Distributed
import SE3Train

/// `se3 bench [train] --config FILE [--steps N]`: training throughput. Prints one JSON line
/// (rank 0): global molecules/s over all ranks, peak memory (max RSS over ranks, MB), steps, ranks.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Benchmark training steps of a config: one JSON line with molecules/s and peak memory.")

    @Option(help: "The YAML config file.")
    var config: String

    @Option(help: "Timed training steps.")
    var steps: Int = 20

    @Option(help: "Untimed warm-up steps.")
    var warmup: Int = 2

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a config value (repeatable).", valueName: "key=value"))
    var overrides: [String] = []

    func validate() throws {
        guard steps >= 1 else { throw ValidationError("--steps must be at least 1 (got \(steps))") }
        guard warmup >= 0 else { throw ValidationError("--warmup must be >= 0 (got \(warmup))") }
    }

    func run() throws {
        ProcessMemory.retainFreedMemory()
        let comm = Communicators.automatic()
        let (cfg, result) = runRankGuarded(comm) { () throws -> (TrainConfig, BenchmarkResult) in
            let cfg = try TrainConfig.load(path: config, overrides: overrides)
            let trainer = try Trainer(config: cfg, configFile: config, comm: comm, makeModel: TrainCommand.makeModel)
            return (cfg, try trainer.benchmark(steps: steps, warmup: warmup))
        }
        guard comm.isRoot else { return }
        var line = result.jsonObject
        line["benchmark"] = "train"
        line["config"] = config
        line["model"] = cfg.model.name.rawValue
        line["batch_size_per_rank"] = cfg.data.batchSize
        if let d = MetricsLogger.line(line) { print(String(decoding: d, as: UTF8.self)) }
        fflush(stdout)
    }
}
