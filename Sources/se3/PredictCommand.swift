import ArgumentParser
import Foundation
import SE3Distributed
import SE3Train

/// `se3 predict`: a checkpoint's predictions for every structure of an extended-XYZ file or an
/// se3 dataset, written as extended XYZ (see `CheckpointPrediction`); under mpirun the ranks
/// split the input and rank 0 writes it in input order.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict with a checkpoint on an extended-XYZ file or an se3 dataset; write extended XYZ.",
        discussion: """
            Graph-level predictions (energy, dipole, …) become comment-line keys, atom-level ones \
            (forces, charges, …) Properties columns, each named <prefix><target> in the target's units, \
            so ase.io.read(OUTPUT, ":") returns them in atoms.info and atoms.arrays. XYZ input is copied \
            with all its keys and columns; dataset input is written with positions, cell, id and stored targets.
            """)

    @Option(help: "A checkpoint file, or a run directory (its best.h5, else its latest checkpoint).")
    var checkpoint: String

    @Option(help: "An extended-XYZ file (as ASE writes it), or an se3 dataset (.h5 shard or directory of shards).")
    var input: String

    @Option(help: "The extended-XYZ file to write.")
    var output: String

    @Option(help: "Prepended to each target name in the output (may be empty).")
    var prefix: String = "se3_"

    @Option(name: .customLong("batch-size"), help: "Structures per batch per rank (default: the config's data.batch_size).")
    var batchSize: Int?

    @Flag(help: "Print one JSON line instead of a summary.")
    var json = false

    func validate() throws {
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be >= 1, got \(batchSize)") }
        guard !output.isEmpty else { throw ValidationError("--output must name a file") }
    }

    func run() throws {
        ProcessMemory.retainFreedMemory()
        let comm = Communicators.automatic()
        let start = Date()
        let (file, result) = runRankGuarded(comm) { () throws -> (String, CheckpointPrediction.Result) in
            let file = try EvaluateCommand.resolve(checkpoint)
            let r = try CheckpointPrediction.run(checkpointPath: file, inputPath: input, outputPath: output, prefix: prefix,
                                                 batchSize: batchSize, comm: comm, makeModel: TrainCommand.makeModel,
                                                 progress: ProgressReporter.callback(label: "predict", noun: "structures"))
            return (file, r)
        }
        guard comm.isRoot else { return }
        let seconds = Date().timeIntervalSince(start)
        if json {
            let outputs = result.outputs.map { ["key": $0.key, "target": $0.target, "level": $0.level.rawValue,
                                                "kind": $0.kind.rawValue, "units": $0.units] }
            let line: [String: Any] = ["checkpoint": file, "input": input, "output": result.outputPath,
                                       "structures": result.structures, "ranks": comm.size, "outputs": outputs,
                                       "seconds": seconds, "peak_memory_mb": ProcessMemory.peakResidentMegabytes()]
            if let d = MetricsLogger.line(line) { print(String(decoding: d, as: UTF8.self)) }
        } else {
            print("checkpoint \(file)\n\(input): \(result.structures) structures, \(comm.size) rank(s), "
                  + String(format: "%.1f s, peak RSS %.1f MB (rank 0)", seconds, ProcessMemory.peakResidentMegabytes()))
            for o in result.outputs {
                let place = o.level == .graph ? "comment line" : "Properties column"
                print("  \(o.key): \(o.level.rawValue)-level \(o.kind.rawValue)\(o.units.isEmpty ? "" : " in \(o.units)"), \(place)")
            }
            print("predictions written to \(result.outputPath)")
        }
        fflush(stdout)
    }
}
