import Foundation
import SE3Data
import SE3TestSupport
import XCTest

/// `se3 predict` through the binary; the output is read back with the project's own XYZ reader.
final class PredictCLITests: XCTestCase {
    var scratch: URL!

    override func setUp() { scratch = RunFiles.scratch("predict") }
    override func tearDown() { try? FileManager.default.removeItem(at: scratch) }

    func train(_ name: String, _ extra: [String] = []) throws -> URL {
        let run = scratch.appendingPathComponent(name)
        let t = try TestEnvironment.runPlain(["train", "--config", RunFiles.bundledConfig, "--run-dir", run.path, "--quiet"]
                                             + RunFiles.tinyModel(steps: 10, logEvery: 5) + extra, timeout: 240)
        XCTAssertEqual(t.status, 0, t.summary)
        return run
    }

    func frames(_ url: URL) throws -> [Structure] { try XYZReader(path: url.path).readAll() }

    /// Dataset input: every structure in order with its reference values and the prediction,
    /// equal to what `se3 evaluate --predictions` writes. XYZ input: 2 ranks write the same bytes
    /// as 1, in input order, and a prediction of the output agrees with the first exactly.
    func testPredictionsMatchEvaluateAndRanksKeepInputOrder() throws {
        let run = try train("qm9")
        let val = "configs/data/qm9-small/val"
        let out1 = scratch.appendingPathComponent("val.xyz")
        let p = try TestEnvironment.runPlain(["predict", "--checkpoint", run.path, "--input", val, "--output", out1.path], timeout: 240)
        XCTAssertEqual(p.status, 0, p.summary)
        XCTAssertTrue(p.stdout.contains("se3_homo: graph-level scalar in eV, comment line"), p.summary)
        let progress = p.stderr.split(separator: "\n").filter { $0.hasPrefix("predict: ") }
        XCTAssertTrue((1...10).contains(progress.count), "a line per tenth when stderr is not a terminal\n" + p.summary)
        XCTAssertTrue(progress.last?.hasPrefix("predict: 200/200 structures (100%)") ?? false, p.summary)

        let source = try Dataset(path: TestEnvironment.packageRoot.appendingPathComponent(val).path).read(0..<200)
        let written = try frames(out1)
        XCTAssertEqual(written.count, 200)
        for (s, w) in zip(source, written) {
            XCTAssertEqual(w.graphTargets["id"], [Double(s.id!)], "input order")
            XCTAssertEqual(w.positions, s.positions)
            XCTAssertEqual(w.graphTargets["homo"], s.graphTargets["homo"], "reference values are kept")
            XCTAssertEqual(w.graphTargets["se3_homo"]?.count, 1)
        }

        let h5 = scratch.appendingPathComponent("val-pred.h5")
        let e = try TestEnvironment.runPlain(["evaluate", "--checkpoint", run.path, "--data", val, "--predictions", h5.path], timeout: 240)
        XCTAssertEqual(e.status, 0, e.summary)
        XCTAssertTrue(e.stderr.contains("evaluate: 200/200 structures (100%)"), e.summary)
        let evaluated = try Dataset(path: h5.path).read(0..<200)
        for (a, b) in zip(evaluated, written) {
            let x = a.graphTargets["homo"]![0], y = b.graphTargets["se3_homo"]![0]
            XCTAssertEqual(x, y, accuracy: 1e-8 * max(1, abs(x)), "predict and evaluate take the same path")
        }

        let out2 = scratch.appendingPathComponent("again-1.xyz"), out3 = scratch.appendingPathComponent("again-2.xyz")
        let single = try TestEnvironment.runPlain(["predict", "--checkpoint", run.path, "--input", out1.path,
                                                   "--output", out2.path, "--prefix", "again_"], timeout: 240)
        XCTAssertEqual(single.status, 0, single.summary)
        let two = try TestEnvironment.runUnderMPI(np: 2, ["predict", "--checkpoint", run.path, "--input", out1.path,
                                                          "--output", out3.path, "--prefix", "again_", "--batch-size", "7", "--json"],
                                                  timeout: 240)
        XCTAssertEqual(two.status, 0, two.summary)
        let report = try XCTUnwrap(RunFiles.jsonLines(two.stdout).first, two.summary)
        XCTAssertEqual(report["structures"] as? Int, 200)
        XCTAssertEqual(report["ranks"] as? Int, 2)
        XCTAssertEqual(try Data(contentsOf: out2), try Data(contentsOf: out3), "2 ranks write what 1 rank writes")
        let again = try frames(out3)
        XCTAssertEqual(again.count, 200)
        for (a, b) in zip(written, again) {
            XCTAssertEqual(b.graphTargets["id"], a.graphTargets["id"])
            XCTAssertEqual(b.graphTargets["again_homo"], a.graphTargets["se3_homo"], "XYZ positions are exact")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.contains(".tmp") }
        XCTAssertEqual(leftovers, [])

        // the output imports as a dataset (prepare's progress goes to stderr as well)
        let prep = try TestEnvironment.runPlain(["prepare", "xyz", "--input", out1.path, "--out", scratch.appendingPathComponent("ds").path],
                                                timeout: 120)
        XCTAssertEqual(prep.status, 0, prep.summary)
        XCTAssertTrue(prep.stderr.contains("prepare: 200/200 frames (100%)"), prep.summary)
        XCTAssertLessThanOrEqual(prep.stderr.split(separator: "\n").count, 10, prep.summary)
    }

    /// Atom-level outputs (forces) become Properties columns; a periodic ASE file whose box is far
    /// larger than the cutoff gives the molecule's predictions; forces pass check-equivariance.
    func testAtomOutputsPeriodicInputAndEquivariance() throws {
        let xtb = ["data.train=configs/data/xtb-small/train", "data.val=configs/data/xtb-small/val",
                   "data.test=configs/data/xtb-small/test",
                   "targets=[{name: energy, extensive: true}, {name: forces}, {name: dipole}]"].flatMap { ["--set", $0] }
        let run = try train("xtb", xtb)
        let structures = try Dataset(path: TestEnvironment.packageRoot.appendingPathComponent("configs/data/xtb-small/test").path)
            .read(0..<6)
        func ase(_ periodic: Bool) -> String {
            var text = ""
            for s in structures {
                text += "\(s.atomCount)\n"
                text += periodic ? "Lattice=\"30.0 0.0 0.0 0.0 30.0 0.0 0.0 0.0 30.0\" Properties=species:S:1:pos:R:3:forces:R:3 energy=\(s.graphTargets["energy"]![0]) config_type=md pbc=\"T T T\"\n"
                                 : "Properties=species:S:1:pos:R:3:forces:R:3 energy=\(s.graphTargets["energy"]![0]) config_type=md pbc=\"F F F\"\n"
                let f = s.atomTargets["forces"]!
                for a in 0..<s.atomCount {
                    let r = s.positions[a] + SIMD3(repeating: periodic ? 15.0 : 0)
                    text += DatasetElements.symbol(s.atomicNumbers[a]).padding(toLength: 3, withPad: " ", startingAt: 0)
                        + String(format: "%16.8f%16.8f%16.8f%16.8f%16.8f%16.8f\n", r.x, r.y, r.z, f[3 * a], f[3 * a + 1], f[3 * a + 2])
                }
            }
            return text
        }
        var outputs: [[Structure]] = []
        for periodic in [false, true] {
            let input = scratch.appendingPathComponent(periodic ? "box.extxyz" : "molecules.extxyz")
            try ase(periodic).write(to: input, atomically: true, encoding: .utf8)
            let out = scratch.appendingPathComponent(periodic ? "box-pred.extxyz" : "molecules-pred.extxyz")
            let p = try TestEnvironment.runPlain(["predict", "--checkpoint", run.path, "--input", input.path, "--output", out.path])
            XCTAssertEqual(p.status, 0, p.summary)
            XCTAssertTrue(p.stdout.contains("se3_forces: atom-level vector in eV/Å, Properties column"), p.summary)
            let text = try String(contentsOf: out, encoding: .utf8)
            XCTAssertTrue(text.contains("Properties=species:S:1:pos:R:3:forces:R:3:se3_forces:R:3 energy="), text)
            XCTAssertTrue(text.contains("config_type=md"), "input keys are kept")
            let back = try frames(out)
            XCTAssertEqual(back.count, structures.count)
            for (s, b) in zip(structures, back) {
                XCTAssertEqual(b.atomTargets["se3_forces"]?.count, 3 * s.atomCount)
                XCTAssertEqual(b.graphTargets["se3_energy"]?.count, 1)
                XCTAssertEqual(b.graphTargets["se3_dipole"]?.count, 3)
                XCTAssertEqual(b.atomTargets["forces"]!, s.atomTargets["forces"]!.map { (($0 * 1e8).rounded()) / 1e8 }, accuracy: 1e-12)
                if periodic {
                    XCTAssertEqual(b.cell, [SIMD3(30, 0, 0), SIMD3(0, 30, 0), SIMD3(0, 0, 30)])
                    XCTAssertEqual(b.pbc, SIMD3(1, 1, 1))
                }
            }
            outputs.append(back)
        }
        for (m, p) in zip(outputs[0], outputs[1]) {
            let e0 = m.graphTargets["se3_energy"]![0], e1 = p.graphTargets["se3_energy"]![0]
            XCTAssertEqual(e1, e0, accuracy: 1e-6 * abs(e0), "no periodic image within the cutoff: the molecule's energy")
            XCTAssertEqual(p.atomTargets["se3_forces"]!, m.atomTargets["se3_forces"]!, accuracy: 1e-5)
        }

        let c = try TestEnvironment.runPlain(["check-equivariance", "--checkpoint", run.path, "--data", "configs/data/xtb-small/test",
                                              "--limit", "20", "--rotations", "3", "--json"], timeout: 240)
        XCTAssertEqual(c.status, 0, c.summary)
        let rows = try XCTUnwrap(RunFiles.jsonLines(c.stdout).first?["rows"] as? [[String: Any]], c.summary)
        let forces = rows.filter { $0["output"] as? String == "forces" }
        XCTAssertEqual(Set(forces.compactMap { $0["transform"] as? String }), ["rotation", "translation", "inversion"], c.summary)
        for r in forces {
            XCTAssertEqual(r["level"] as? String, "atom")
            XCTAssertEqual(r["kind"] as? String, "vector")
            XCTAssertLessThan(try XCTUnwrap(r["error"] as? Double), 1e-8, c.summary)
        }
        let plain = try TestEnvironment.runPlain(["check-equivariance", "--checkpoint", run.path, "--data", "configs/data/xtb-small/test",
                                                  "--limit", "5", "--rotations", "1"], timeout: 240)
        XCTAssertTrue(plain.stdout.contains("forces          atom   vector  rotation"), plain.summary)
    }

    /// Bad input: a clear message naming the file or option, exit status 1, no output file.
    func testBadInputsAreNamed() throws {
        let run = try train("bad")
        let out = scratch.appendingPathComponent("out.xyz")
        func predict(_ input: String, _ extra: [String] = []) throws -> ProcessResult {
            try TestEnvironment.runPlain(["predict", "--checkpoint", run.path, "--input", input, "--output", out.path] + extra)
        }
        let missing = try predict("/nonexistent/in.xyz")
        XCTAssertEqual(missing.status, 1, missing.summary)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/in.xyz"), missing.summary)

        let val = "configs/data/qm9-small/val"
        let clash = try predict(val, ["--prefix", ""])
        XCTAssertEqual(clash.status, 1, clash.summary)
        XCTAssertTrue(clash.stderr.contains("already has a key 'homo'; choose another --prefix"), clash.summary)
        let prefix = try predict(val, ["--prefix", "my prediction "])
        XCTAssertEqual(prefix.status, 1, prefix.summary)
        XCTAssertTrue(prefix.stderr.contains("--prefix"), prefix.summary)

        let silicon = scratch.appendingPathComponent("si.xyz")
        try "1\nenergy=1\nC 0 0 0\n2\nenergy=2\nSi 0 0 0\nH 1.5 0 0\n".write(to: silicon, atomically: true, encoding: .utf8)
        let element = try predict(silicon.path)
        XCTAssertEqual(element.status, 1, element.summary)
        XCTAssertTrue(element.stderr.contains("\(silicon.path): frame 1: element Si (Z = 14) is not in the checkpoint's model.elements"),
                      element.summary)
        let truncated = scratch.appendingPathComponent("cut.xyz")
        try "2\nenergy=1\nC 0 0 0\n".write(to: truncated, atomically: true, encoding: .utf8)
        let cut = try predict(truncated.path)
        XCTAssertEqual(cut.status, 1, cut.summary)
        XCTAssertTrue(cut.stderr.contains("truncated file"), cut.summary)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "no output after an error")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.contains(".tmp") }
        XCTAssertEqual(leftovers, [])
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) where abs(x - y) > accuracy {
        XCTFail("\(x) != \(y) (accuracy \(accuracy))", file: file, line: line)
        return
    }
}
