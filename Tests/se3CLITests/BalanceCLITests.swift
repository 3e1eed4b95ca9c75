import Foundation
import SE3TestSupport
import XCTest

/// `data.balance` end to end: `mpirun -np 2 se3 bench train` on a mixed-size set (3–60 atoms, made
/// here and converted with `se3 prepare xyz`) reports the per-step max/mean load over the ranks.
/// Balanced by atoms (or edges), the ratio is near 1; with `none` it is not.
final class BalanceCLITests: XCTestCase {
    var scratch: URL!

    override func setUp() { scratch = RunFiles.scratch("balance") }
    override func tearDown() { try? FileManager.default.removeItem(at: scratch) }

    /// `frames` random clusters of 3–60 H/C/N/O atoms (about 10 Å³ per atom, no pair under 0.95 Å)
    /// with an energy, as extended XYZ.
    func mixedXYZ(frames: Int) -> String {
        var state: UInt64 = 0x5EED
        func unit() -> Double {   // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) * 0x1.0p-53
        }
        var text = ""
        for _ in 0..<frames {
            let n = 3 + Int(unit() * 58)
            let radius = pow(30.0 * Double(n) / (4 * Double.pi), 1.0 / 3)
            var positions: [SIMD3<Double>] = []
            while positions.count < n {
                let p = SIMD3(unit(), unit(), unit()) * (2 * radius) - SIMD3(repeating: radius)
                if (p * p).sum() <= radius * radius, positions.allSatisfy({ d in ((p - d) * (p - d)).sum() >= 0.95 * 0.95 }) {
                    positions.append(p)
                }
            }
            let symbols = positions.map { _ in ["H", "H", "H", "H", "H", "C", "C", "C", "N", "O"][Int(unit() * 10)] }
            let energy = symbols.reduce(0.0) { $0 + ($1 == "H" ? -13.6 : -1000.0) } + Double(n) * 0.1 * unit()
            text += "\(n)\nProperties=species:S:1:pos:R:3 energy=\(energy) pbc=\"F F F\"\n"
            for (s, p) in zip(symbols, positions) { text += "\(s) \(p.x) \(p.y) \(p.z)\n" }
        }
        return text
    }

    func testBenchReportsTheLoadRatioAndBalancingBringsItToOne() throws {
        let xyz = scratch.appendingPathComponent("mixed.extxyz")
        try mixedXYZ(frames: 120).write(to: xyz, atomically: true, encoding: .utf8)
        let data = scratch.appendingPathComponent("mixed")
        let prepared = try TestEnvironment.runPlain(["prepare", "xyz", "--input", xyz.path, "--out", data.path,
                                                     "--shards", "2", "--split", "1,0,0"], timeout: 120)
        XCTAssertEqual(prepared.status, 0, prepared.summary)
        let config = scratch.appendingPathComponent("mixed.yaml")
        try """
        model: {name: tfn, lmax: 1, channels: 4, layers: 1, radial_hidden: 8, cutoff: 4.0, elements: [1, 6, 7, 8], avg_num_neighbors: 12}
        data: {train: \(data.path)/train, batch_size: 8}
        targets: [{name: energy}]
        training: {epochs: 1, seed: 0}
        """.write(to: config, atomically: true, encoding: .utf8)

        func bench(_ balance: String) throws -> [String: Any] {
            let r = try TestEnvironment.runUnderMPI(np: 2, ["bench", "train", "--config", config.path, "--steps", "6", "--warmup", "0",
                                                            "--set", "data.balance=\(balance)"], timeout: 300)
            XCTAssertEqual(r.status, 0, r.summary)
            let line = try XCTUnwrap(RunFiles.jsonLines(r.stdout).first, r.summary)
            XCTAssertEqual(line["balance"] as? String, balance)
            XCTAssertEqual(line["ranks"] as? Int, 2)
            return line
        }
        func ratio(_ line: [String: Any], _ key: String) throws -> Double { try XCTUnwrap(line[key] as? Double, "\(key) in \(line)") }

        let none = try bench("none"), atoms = try bench("atoms"), edges = try bench("edges")
        // 16 structures of 3–60 atoms per step over 2 ranks: LPT evens the atoms to within a few percent
        XCTAssertLessThan(try ratio(atoms, "load_ratio_atoms"), 1.03, "\(atoms)")
        XCTAssertLessThan(try ratio(atoms, "load_ratio_atoms_max"), 1.06, "\(atoms)")
        XCTAssertLessThan(try ratio(edges, "load_ratio_edges"), 1.03, "\(edges)")
        XCTAssertLessThan(try ratio(edges, "load_ratio_edges_max"), 1.06, "\(edges)")
        XCTAssertGreaterThan(try ratio(none, "load_ratio_atoms"), try ratio(atoms, "load_ratio_atoms") + 0.02, "\(none)")
        XCTAssertGreaterThan(try ratio(none, "load_ratio_edges"), try ratio(edges, "load_ratio_edges") + 0.02, "\(none)")
        // as many structures are trained per step, only split differently
        XCTAssertEqual(try XCTUnwrap(none["molecules"] as? Double), try XCTUnwrap(atoms["molecules"] as? Double))
    }
}
