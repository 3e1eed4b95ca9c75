import Foundation
import SE3TestSupport
import XCTest

/// Energy + conservative force training through the real commands (`configs/tfn-xtb-small.yaml`,
/// shrunk): `mpirun -np 2 se3 train` ends with identical parameters on both ranks and a falling
/// loss; `se3 evaluate` on 2 ranks and 1 reports the same force errors (and per-atom energies) and
/// writes the forces to the predictions file; `se3 check-equivariance` finds the forces rotating
/// with the structure. Configs that ask for combinations that do not exist are refused.
final class ForceTrainingCLITests: XCTestCase {
    var scratch: URL!
    let config = "configs/tfn-xtb-small.yaml"
    let val = "configs/data/xtb-small/val"

    override func setUp() { scratch = RunFiles.scratch("forces") }
    override func tearDown() { try? FileManager.default.removeItem(at: scratch) }

    func tiny(steps: Int) -> [String] {
        ["model.lmax=1", "model.channels=8", "model.layers=2", "model.radial_hidden=16", "data.batch_size=8",
         "training.epochs=1", "training.max_steps=\(steps)", "training.warmup_steps=2", "training.lr=0.02", "training.loss=l1",
         "training.log_every=1"].flatMap { ["--set", $0] }
    }

    func testTwoRankEnergyForceTraining() throws {
        let run = scratch.appendingPathComponent("run")
        let r = try TestEnvironment.runUnderMPI(np: 2, ["train", "--config", config, "--run-dir", run.path, "--quiet"] + tiny(steps: 60),
                                                timeout: 300)
        XCTAssertEqual(r.status, 0, r.summary)
        let done = RunFiles.doneLines(r.stdout)
        XCTAssertEqual(Set(done.keys), [0, 1], r.summary)
        XCTAssertEqual(try XCTUnwrap(done[0]?["checksum"] as? String), try XCTUnwrap(done[1]?["checksum"] as? String),
                       "both ranks hold the same parameters")
        let losses = try RunFiles.stepLosses(run)
        XCTAssertEqual(losses.count, 60)
        let first = (1...15).compactMap { losses[$0] }.reduce(0, +), last = (46...60).compactMap { losses[$0] }.reduce(0, +)
        XCTAssertLessThan(last, first, "\(losses.sorted { $0.key < $1.key })")
        let vals = try XCTUnwrap(done[0]?["val"] as? [String: Any])
        XCTAssertEqual(Set(vals.keys), ["energy", "energy_per_atom", "forces"])

        // evaluate: 2 ranks and 1 agree; forces beat the zero-force predictor after 60 steps
        let predictions = scratch.appendingPathComponent("pred.h5").path
        let e2 = try TestEnvironment.runUnderMPI(np: 2, ["evaluate", "--checkpoint", run.path, "--data", val, "--json",
                                                         "--predictions", predictions], timeout: 300)
        XCTAssertEqual(e2.status, 0, e2.summary)
        let e1 = try TestEnvironment.runPlain(["evaluate", "--checkpoint", run.path, "--data", val, "--json"], timeout: 300)
        XCTAssertEqual(e1.status, 0, e1.summary)
        func forces(_ out: String) throws -> [String: Any] {
            let targets = try XCTUnwrap(RunFiles.jsonLines(out).first?["targets"] as? [String: Any])
            XCTAssertNotNil(targets["energy_per_atom"])
            return try XCTUnwrap(targets["forces"] as? [String: Any])
        }
        let f2 = try forces(e2.stdout), f1 = try forces(e1.stdout)
        let mae = try XCTUnwrap(f2["mae"] as? Double), zero = try XCTUnwrap(f2["baseline_mae"] as? Double)
        XCTAssertEqual(try XCTUnwrap(f1["mae"] as? Double), mae, accuracy: 1e-6 * mae)
        XCTAssertLessThan(mae, 0.9 * zero, "force MAE \(mae) eV/Å against \(zero) for zero forces")
        XCTAssertEqual(f2["units"] as? String, "eV/Å")
        let table = try TestEnvironment.runPlain(["evaluate", "--checkpoint", run.path, "--data", val], timeout: 300)
        XCTAssertTrue(table.stdout.contains("meV/Å") && table.stdout.contains("meV/atom"), table.stdout)
        let inspect = try TestEnvironment.runPlain(["inspect", predictions], timeout: 60)
        XCTAssertEqual(inspect.status, 0, inspect.summary)
        XCTAssertTrue(inspect.stdout.contains("forces   atom vector [eV/Å]"), inspect.stdout)

        // se3 predict writes the conservative forces as a per-atom column and the energy in the comment line
        let xyz = scratch.appendingPathComponent("pred.xyz").path
        let p = try TestEnvironment.runPlain(["predict", "--checkpoint", run.path, "--input", val, "--output", xyz], timeout: 300)
        XCTAssertEqual(p.status, 0, p.summary)
        let header = try String(contentsOfFile: xyz, encoding: .utf8).split(separator: "\n").dropFirst().first.map(String.init) ?? ""
        XCTAssertTrue(header.contains("se3_forces:R:3") && header.contains("se3_energy="), header)

        // the trained forces rotate with the structure (Double, exact up to rounding)
        let c = try TestEnvironment.runPlain(["check-equivariance", "--checkpoint", run.path, "--data", val, "--limit", "24",
                                              "--rotations", "2", "--json"], timeout: 300)
        XCTAssertEqual(c.status, 0, c.summary)
        let rows = try XCTUnwrap(RunFiles.jsonLines(c.stdout).first?["rows"] as? [[String: Any]])
        let forceRows = rows.filter { $0["output"] as? String == "forces" }
        XCTAssertEqual(Set(forceRows.compactMap { $0["transform"] as? String }), ["rotation", "translation", "inversion"])
        for row in forceRows { XCTAssertLessThan(try XCTUnwrap(row["error"] as? Double), 1e-10, "\(row)") }
    }

    /// `training.dtype: float64` under `mpirun -np 2` (the gradient and the step totals travel as
    /// Double): identical parameters on both ranks, a falling loss, and `se3 evaluate` of the
    /// float64 checkpoint.
    func testTwoRankFloat64Training() throws {
        let run = scratch.appendingPathComponent("f64")
        let r = try TestEnvironment.runUnderMPI(np: 2, ["train", "--config", config, "--run-dir", run.path, "--quiet",
                                                        "--set", "training.dtype=float64"] + tiny(steps: 30), timeout: 300)
        XCTAssertEqual(r.status, 0, r.summary)
        let done = RunFiles.doneLines(r.stdout)
        XCTAssertEqual(try XCTUnwrap(done[0]?["checksum"] as? String), try XCTUnwrap(done[1]?["checksum"] as? String))
        let losses = try RunFiles.stepLosses(run)
        XCTAssertLessThan((21...30).compactMap { losses[$0] }.reduce(0, +), (1...10).compactMap { losses[$0] }.reduce(0, +))
        let resolved = try String(contentsOf: run.appendingPathComponent("config.yaml"), encoding: .utf8)
        XCTAssertTrue(resolved.contains("dtype: float64"), resolved)
        let e = try TestEnvironment.runPlain(["evaluate", "--checkpoint", run.path, "--data", val, "--json"], timeout: 300)
        XCTAssertEqual(e.status, 0, e.summary)
        XCTAssertNotNil(RunFiles.jsonLines(e.stdout).first?["targets"])
    }

    func testImpossibleForceConfigsAreRefused() throws {
        let cases: [([String], String)] = [
            (["--set", "targets=[{name: energy}, {name: forces, forces: conservative}]"], "extensive: true"),
            (["--set", "targets=[{name: energy, extensive: true}, {name: dipole, forces: conservative}]"], "atom-level vectors"),
            (["--set", "targets=[{name: energy, extensive: true}, {name: forces, forces: conserve}]"], "must be one of 'direct', 'conservative'"),
        ]
        for (args, expected) in cases {
            let r = try TestEnvironment.runPlain(["train", "--config", config, "--run-dir", scratch.appendingPathComponent("x").path]
                                                 + args + tiny(steps: 1), timeout: 120)
            XCTAssertEqual(r.status, 1, r.summary)
            XCTAssertTrue(r.stderr.contains(expected), "\(args): \(r.stderr)")
        }
        let escn = try TestEnvironment.runPlain(["train", "--config", "configs/escn-xtb-small.yaml", "--run-dir",
                                                 scratch.appendingPathComponent("y").path,
                                                 "--set", "targets=[{name: energy, extensive: true}, {name: forces, forces: conservative}]"],
                                                timeout: 120)
        XCTAssertEqual(escn.status, 1, escn.summary)
        XCTAssertTrue(escn.stderr.contains("eSCN predicts forces directly"), escn.stderr)
    }
}
