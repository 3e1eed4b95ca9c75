import ArgumentParser
import Foundation
import SE3Data
import SE3Math

/// `se3 prepare <dataset>`: converts raw data into the se3 HDF5 dataset format.
struct PrepareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Convert a raw dataset into se3 HDF5 shards (format v1).",
        subcommands: [QM9.self, XYZ.self])

    struct QM9: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "qm9",
            abstract: "Import QM9 from the qm9pack CSV files into OUT/{train,val,test}/shard-*.h5.")

        @Option(help: "Directory containing qm9_part*.csv (or the unpacked qm9pack wheel root), or one CSV file.")
        var source: String

        @OptionGroup var output: PrepareSplitOptions

        func run() throws {
            let start = Date()
            do {
                let o = output
                let prep = QM9Preparation(source: source, output: o.out, limit: o.limit, shards: o.shards,
                                          fractions: try o.fractions(), chunkRows: o.chunkRows)
                var rng = o.generator()
                let summary = try prep.run(using: &rng, progress: PrepareSplitOptions.progress("molecules"))
                o.printSummary(dataset: "qm9", noun: "molecules", total: summary.molecules,
                               splitCounts: summary.splitCounts, directories: summary.directories, start: start)
            } catch {
                throw PrepareCommand.fail(error)
            }
        }
    }

    struct XYZ: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "xyz",
            abstract: "Import an extended-XYZ file (as ASE writes it) into OUT/{train,val,test}/shard-*.h5.",
            discussion: """
                Streams the file twice (count, then convert); one frame is in memory at a time. /ids holds the \
                frame index in the file. Statistics of the train split go into every shard; graph-level scalar \
                targets whose name contains "energy" are extensive (per-element references) unless --extensive is given.
                """)

        @Option(help: "Extended-XYZ file (Lattice=, Properties=species:S:1:pos:R:3:..., energy=, pbc=).")
        var input: String

        @OptionGroup var output: PrepareSplitOptions

        @Option(parsing: .upToNextOption, help: "Units overriding the guessed ones, e.g. --units energy=kcal/mol dipole=e*Å.")
        var units: [String] = []

        @Option(parsing: .upToNextOption,
                help: "Graph-level scalar targets to treat as extensive (default: names containing \"energy\"; 'none' for no target).")
        var extensive: [String] = []

        func run() throws {
            let start = Date()
            do {
                let o = output
                let prep = XYZPreparation(input: input, output: o.out, limit: o.limit, shards: o.shards,
                                          fractions: try o.fractions(), chunkRows: o.chunkRows,
                                          units: try XYZPreparation.parseUnits(units),
                                          extensive: extensive.isEmpty ? nil : Set(extensive.filter { $0 != "none" }))
                var rng = o.generator()
                let summary = try prep.run(using: &rng, progress: PrepareSplitOptions.progress("frames"))
                let targets = summary.targets.map { t in
                    "\(t.name) (\(t.level.rawValue) \(t.kind.rawValue), \(t.units.isEmpty ? "no units" : t.units)"
                        + (summary.extensive.contains(t.name) ? ", extensive)" : ")")
                }
                print("targets: " + (targets.isEmpty ? "none" : targets.joined(separator: ", ")))
                if !summary.ignoredKeys.isEmpty { print("ignored: " + summary.ignoredKeys.joined(separator: ", ")) }
                o.printSummary(dataset: "xyz", noun: "structures", total: summary.structures,
                               splitCounts: summary.splitCounts, directories: summary.directories, start: start)
            } catch {
                throw PrepareCommand.fail(error)
            }
        }
    }

    /// Prints `error: <error>` to stderr; the caller throws the returned exit code 1.
    static func fail(_ error: Error) -> ExitCode {
        FileHandle.standardError.write("error: \(error)\n".data(using: .utf8)!)
        return ExitCode(1)
    }
}
