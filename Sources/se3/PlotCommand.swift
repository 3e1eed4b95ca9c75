import ArgumentParser
import Foundation
import SE3Train

/// `se3 plot RUN…`: the training curves of one or more runs as one SVG figure (`LossCurves`),
/// the figure `se3 train` writes to `<run>/curves.svg` at every epoch end.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw training curves (loss, validation MAE per target, learning rate) from metrics.jsonl as SVG.",
        discussion: """
            With several runs, their curves share the panels, labelled by run name. Convert to PNG with, \
            for example, rsvg-convert curves.svg -o curves.png (Debian: librsvg2-bin).
            """)

    @Argument(help: "Run directories (or their metrics.jsonl files).")
    var runs: [String]

    @Option(help: "The SVG file to write (default: RUN/curves.svg for one run, curves.svg for several).")
    var output: String?

    func validate() throws {
        guard !runs.isEmpty else { throw ValidationError("name at least one run directory") }
    }

    func run() throws {
        let path = output ?? (runs.count == 1 && !runs[0].hasSuffix(".jsonl")
            ? RunDirectory(path: runs[0]).curvesPath : "curves.svg")
        do {
            try LossCurves.write(runs: runs, to: path)
        } catch {
            FileHandle.standardError.write(Data("se3: \(error)\n".utf8))
            throw ExitCode(1)
        }
        print("wrote \(path) (\(runs.count) run\(runs.count == 1 ? "" : "s"))")
    }
}
