import ArgumentParser
import Foundation
import SE3Train

/// `se3 check-equivariance`: a checkpoint's predictions under rotations, a translation and (for
/// E(3) models) the inversion (see `EquivarianceCheck`). Prints the largest relative error per
/// output and transform; exits 1 when one is above `--tolerance`.
struct CheckEquivarianceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-equivariance",
        abstract: "Check a trained checkpoint's equivariance on a dataset (rotations, translation, inversion).")

    @Option(help: "A checkpoint file, or a run directory (its best.h5, else its latest checkpoint).")
    var checkpoint: String

    @Option(help: "Dataset: an .h5 shard or a directory of shards.")
    var data: String

    @Option(help: "Random rotations.")
    var rotations: Int = 5

    @Option(help: "Largest relative error accepted (default 1e-8 in double precision, 1e-3 in float; at least the architecture's own tolerance, 5e-2 for eSCN, whose sampled sphere grids alias).")
    var tolerance: Double?

    @Option(help: "Structures of the dataset to use (default: all).")
    var limit: Int?

    @Flag(help: "Compute in Float32, as training does (default: the weights widened to Double).")
    var float = false

    @Option(help: "Seed of the random rotations and translation.")
    var seed: UInt64 = 1

    @Flag(help: "Print one JSON line instead of a table.")
    var json = false

    func validate() throws {
        guard rotations >= 1 else { throw ValidationError("--rotations must be >= 1, got \(rotations)") }
        if let tolerance, !(tolerance >= 0) { throw ValidationError("--tolerance must be >= 0, got \(tolerance)") }
        if let limit, limit < 1 { throw ValidationError("--limit must be >= 1, got \(limit)") }
    }

    func run() throws {
        let report: EquivarianceCheck.Report
        do {
            report = try EquivarianceCheck.run(checkpointPath: try EvaluateCommand.resolve(checkpoint), dataPath: data,
                                               rotations: rotations, seed: seed, double: !float, limit: limit)
        } catch {
            FileHandle.standardError.write(Data("se3: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let tol = tolerance ?? max(float ? 1e-3 : 1e-8, report.modelTolerance ?? 0)
        let pass = report.largest <= tol
        if json {
            let rows = report.rows.map { ["output": $0.output, "level": $0.level.rawValue, "kind": $0.kind.rawValue,
                                          "transform": $0.transform.rawValue,
                                          "error": $0.error] as [String: Any] }
            let line: [String: Any] = ["checkpoint": checkpoint, "data": data, "structures": report.structures,
                                       "rotations": report.rotations, "inversion_claimed": report.inversionClaimed,
                                       "precision": float ? "float" : "double", "tolerance": tol, "largest": report.largest,
                                       "pass": pass, "rows": rows]
            print(String(decoding: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print("checkpoint \(checkpoint), data \(data): \(report.structures) structures, \(report.rotations) rotations, "
                  + "\(float ? "float" : "double") precision\(report.inversionClaimed ? "" : "; the model is SE(3), so no inversion check")")
            print("output".padding(toLength: 16, withPad: " ", startingAt: 0) + "level  kind    " + "transform    " + "largest relative error")
            for r in report.rows {
                print(r.output.padding(toLength: 16, withPad: " ", startingAt: 0) + r.level.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
                      + r.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                      + r.transform.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0) + String(format: "%.3e", r.error))
            }
            if tolerance == nil, let own = report.modelTolerance, own >= tol {
                print("(the architecture is equivariant only up to the quadrature error of its sphere grids; "
                      + "tolerance \(own), see docs/conventions.md)")
            }
            print(pass ? "pass (tolerance \(tol))" : "FAIL: \(String(format: "%.3e", report.largest)) above the tolerance \(tol)")
        }
        if !pass { throw ExitCode(1) }
    }
}
