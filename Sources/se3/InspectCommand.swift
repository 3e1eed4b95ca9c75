import ArgumentParser
import Foundation
import SE3Data

/// `se3 inspect PATH`: summary of a dataset file or shard directory.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Summarize an se3 dataset (a .h5 shard or a directory of shards): structures, atoms, elements, targets, shards.")

    @Argument(help: "A shard file or a directory of *.h5 shards.")
    var path: String

    @Flag(help: "Skip the full scan of atomic numbers and positions on open.")
    var noValidate = false

    func run() throws {
        do {
            let report = try DatasetInspector.inspect(path: path, validateContents: !noValidate)
            print(report.render(), terminator: "")
        } catch {
            FileHandle.standardError.write("error: \(error)\n".data(using: .utf8)!)
            throw ExitCode(1)
        }
    }
}
