import ArgumentParser
import Foundation
import SE3Data
import SE3Math
#if canImport(Glibc)
import Glibc
#endif

/// `se3 prepare <dataset>`: converts raw data into the se3 HDF5 dataset format.
struct PrepareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Convert a raw dataset into se3 HDF5 shards (format v1).",
        subcommands: [QM9.self])

    struct QM9: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "qm9",
            abstract: "Import QM9 from the qm9pack CSV files into OUT/{train,val,test}/shard-*.h5.")

        @Option(help: "Directory containing qm9_part*.csv (or the unpacked qm9pack wheel root), or one CSV file.")
        var source: String

        @Option(help: "Output directory; train/, val/ and test/ are created inside.")
        var out: String

        @Option(help: "Use only the first N molecules (file order).")
        var limit: Int?

        @Option(help: "Shards per split.")
        var shards: Int = 1

        @Option(help: "Train,val,test fractions summing to 1.")
        var split: String = "0.8,0.1,0.1"

        @Option(help: "Seed of the split permutation.")
        var seed: UInt64 = 0

        @Option(help: "Rows per HDF5 chunk for per-molecule datasets (per-atom ones use 4x).")
        var chunkRows: Int = 1024

        func run() throws {
            let start = Date()
            do {
                let fractions = try DatasetSplit.parseFractions(split)
                let prep = QM9Preparation(source: source, output: out, limit: limit, shards: shards,
                                          fractions: fractions, chunkRows: chunkRows)
                var rng = SeededGenerator(seed: seed)
                let summary = try prep.run(using: &rng) { n in
                    FileHandle.standardError.write("  \(n) molecules...\n".data(using: .utf8)!)
                }
                for (name, (dir, n)) in zip(QM9Preparation.splitNames, zip(summary.directories, summary.splitCounts)) {
                    print("\(name): \(n) molecules in \(shards) shard(s) at \(dir)")
                }
                let seconds = Date().timeIntervalSince(start)
                print(String(format: "prepared qm9: %d molecules written in %.1f s, peak RSS %.1f MB",
                             summary.molecules, seconds, PrepareCommand.peakRSSMegabytes()))
            } catch {
                FileHandle.standardError.write("error: \(error)\n".data(using: .utf8)!)
                throw ExitCode(1)
            }
        }
    }

    /// Peak resident set size of this process (getrusage; Linux reports KiB).
    static func peakRSSMegabytes() -> Double {
        #if os(Linux)
        let RUSAGE_SELF_ID = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
        let RUSAGE_SELF_ID = RUSAGE_SELF
        #endif
        var usage = rusage()
        guard getrusage(RUSAGE_SELF_ID, &usage) == 0 else { return .nan }
        #if os(Linux)
        return Double(usage.ru_maxrss) / 1024
        #else
        return Double(usage.ru_maxrss) / (1024 * 1024)
        #endif
    }
}
