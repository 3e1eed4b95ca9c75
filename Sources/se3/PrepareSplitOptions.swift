import ArgumentParser
import Foundation
import SE3Train
import SE3Data
import SE3Math

/// The output options every `se3 prepare <dataset>` shares: OUT/{train,val,test}/shard-*.h5,
/// a seeded split and the shard layout.
struct PrepareSplitOptions: ParsableArguments {
    @Option(help: "Output directory; train/, val/ and test/ are created inside.")
    var out: String

    @Option(help: "Use only the first N structures (file order).")
    var limit: Int?

    @Option(help: "Shards per split.")
    var shards: Int = 1

    @Option(help: "Train,val,test fractions summing to 1.")
    var split: String = "0.8,0.1,0.1"

    @Option(help: "Seed of the split permutation.")
    var seed: UInt64 = 0

    @Option(help: "Rows per HDF5 chunk for per-structure datasets (per-atom ones use 4x).")
    var chunkRows: Int = 1024

    /// `--split` parsed.
    func fractions() throws -> [Double] { try DatasetSplit.parseFractions(split) }

    /// The split generator: `SeededGenerator(seed: --seed)`.
    func generator() -> SeededGenerator { SeededGenerator(seed: seed) }

    /// The progress line on stderr (`ProgressReporter`: redrawn on a terminal, every tenth in a log).
    static func progress(_ noun: String) -> (Int, Int) -> Void { ProgressReporter.callback(label: "prepare", noun: noun) }

    /// Per-split lines and `prepared <dataset>: N <noun> written in T s, peak RSS M MB`.
    func printSummary(dataset: String, noun: String, total: Int, splitCounts: [Int], directories: [String], start: Date) {
        for (name, (dir, n)) in zip(SplitDatasetWriter.splitNames, zip(directories, splitCounts)) {
            print("\(name): \(n) \(noun) in \(shards) shard(s) at \(dir)")
        }
        let seconds = Date().timeIntervalSince(start)
        print("prepared \(dataset): \(total) \(noun) written in "
              + String(format: "%.1f s, peak RSS %.1f MB", seconds, ProcessMemory.peakResidentMegabytes()))
    }
}
