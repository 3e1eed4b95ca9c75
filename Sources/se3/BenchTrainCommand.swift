import ArgumentParser
import Foundation
import SE3Distributed
import SE3Config
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

    @Flag(help: ArgumentHelp("Add zero labels for the config's conservative force target when the training set has none (a temporary copy; the e3nn peer's --forces does the same on QM9)."))
    var zeroForces = false

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
            var cfg = try TrainConfig.load(path: config, overrides: overrides)
            if zeroForces {
                guard let name = cfg.targets.first(where: { $0.forces == .conservative })?.name else {
                    throw ConfigError(file: config, key: "targets", "--zero-forces needs a target with `forces: conservative`")
                }
                // every rank writes its own copy (no shared file system assumed)
                let dir = NSTemporaryDirectory() + "se3-bench-zero-forces-\(ProcessInfo.processInfo.processIdentifier)"
                cfg.data.train = try ZeroForceDataset.write(from: cfg.data.train, target: name, into: dir)
                cfg.data.val = nil
            }
            defer { if zeroForces { try? FileManager.default.removeItem(atPath: cfg.data.train) } }
            switch cfg.training.dtype {
            case .float32:
                let trainer = try Trainer<Float>(config: cfg, configFile: config, comm: comm, makeModel: TrainCommand.makeModel)
                return (cfg, try trainer.benchmark(steps: steps, warmup: warmup))
            case .float64:
                let trainer = try Trainer<Double>(config: cfg, configFile: config, comm: comm, makeModel: TrainCommand.makeModel)
                return (cfg, try trainer.benchmark(steps: steps, warmup: warmup))
            }
        }
        guard comm.isRoot else { return }
        var line = result.jsonObject
        line["benchmark"] = "train"
        line["config"] = config
        line["model"] = cfg.model.name.rawValue
        line["batch_size_per_rank"] = cfg.data.batchSize
        line["dtype"] = cfg.training.dtype.rawValue
        if let d = MetricsLogger.line(line) { print(String(decoding: d, as: UTF8.self)) }
        fflush(stdout)
    }
}
