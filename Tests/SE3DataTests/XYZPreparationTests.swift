import Foundation
import XCTest
import SE3Data
import SE3Math

/// `XYZPreparation` (`se3 prepare xyz`): an extended-XYZ file written here, as ASE writes it,
/// converted to train/val/test shards and read back with `Dataset`.
final class XYZPreparationTests: XCTestCase {
    var dir = ""
    override func setUpWithError() throws { dir = try DatasetTestSupport.temporaryDirectory() }
    override func tearDown() { DatasetTestSupport.remove(dir) }

    /// One frame as written into the file (the expected values after import).
    struct Frame {
        var symbols: [String]
        var z: [Int32]
        var positions: [SIMD3<Double>]
        var cell: [SIMD3<Double>]?
        var pbc: SIMD3<UInt8>
        var forces: [Double]
        var energy: Double
        var stress: [Double]
    }

    /// `count` random periodic frames (2...6 atoms of Si, O, H; triclinic cells; pbc T T T or
    /// T T F); `molecules` lists frames written without a Lattice (non-periodic).
    func makeFrames(_ count: Int, seed: UInt64, molecules: Set<Int> = []) -> [Frame] {
        var rng = SeededGenerator(seed: seed)
        let elements: [(String, Int32)] = [("Si", 14), ("O", 8), ("H", 1)]
        return (0..<count).map { g in
            let n = Int.random(in: 2...6, using: &rng)
            let picks = (0..<n).map { _ in elements[Int.random(in: 0..<3, using: &rng)] }
            let cell = [SIMD3(5 + rng.nextGaussian() * 0.1, 0, 0), SIMD3(0.4, 5.5, 0), SIMD3(0.1, 0.2, 6 + rng.nextGaussian())]
            let positions = (0..<n).map { _ in SIMD3(Double.random(in: 0..<5, using: &rng), Double.random(in: 0..<5, using: &rng),
                                                     Double.random(in: 0..<6, using: &rng)) }
            let stress = (0..<9).map { _ in rng.nextGaussian() * 0.01 }
            let forces = (0..<(3 * n)).map { _ in rng.nextGaussian() }
            let periodic = !molecules.contains(g)
            return Frame(symbols: picks.map(\.0), z: picks.map(\.1), positions: positions, cell: periodic ? cell : nil,
                         pbc: periodic ? SIMD3(1, 1, UInt8(g % 3 == 0 ? 0 : 1)) : .zero,
                         forces: forces, energy: -4.5 * Double(n) + rng.nextGaussian(), stress: stress)
        }
    }

    /// The frames in ASE's extended-XYZ layout (plus an ignored string key and integer column).
    func text(_ frames: [Frame]) -> String {
        func join(_ v: [Double]) -> String { v.map { "\($0)" }.joined(separator: " ") }
        var out = ""
        for (g, f) in frames.enumerated() {
            out += "\(f.z.count)\n"
            if let c = f.cell {
                let pbc = [f.pbc.x, f.pbc.y, f.pbc.z].map { $0 == 1 ? "T" : "F" }.joined(separator: " ")
                out += "Lattice=\"\(join(c.flatMap { [$0.x, $0.y, $0.z] }))\" "
                out += "Properties=species:S:1:pos:R:3:forces:R:3:tags:I:1 energy=\(f.energy) "
                out += "stress=\"\(join(f.stress))\" config_type=frame\(g) pbc=\"\(pbc)\"\n"
            } else {
                out += "Properties=species:S:1:pos:R:3:forces:R:3:tags:I:1 energy=\(f.energy) "
                out += "stress=\"\(join(f.stress))\" config_type=frame\(g)\n"
            }
            for a in 0..<f.z.count {
                let p = f.positions[a]
                out += "\(f.symbols[a]) \(p.x) \(p.y) \(p.z) \(join(Array(f.forces[(3 * a)..<(3 * a + 3)]))) \(a)\n"
            }
        }
        return out
    }

    func writeFile(_ frames: [Frame], name: String = "train.extxyz") throws -> String {
        let path = dir + "/" + name
        try text(frames).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func prepare(_ input: String, out: String, seed: UInt64 = 5, shards: Int = 2, limit: Int? = nil,
                 units: [String: String] = [:], extensive: Set<String>? = nil) throws -> XYZPreparation.Summary {
        var rng = SeededGenerator(seed: seed)
        return try XYZPreparation(input: input, output: out, limit: limit, shards: shards, fractions: [0.6, 0.2, 0.2],
                                  chunkRows: 4, units: units, extensive: extensive).run(using: &rng)
    }

    /// The ids of each split in dataset order.
    func splitIDs(_ out: String) throws -> [[Int64]] {
        try SplitDatasetWriter.splitNames.map { name in
            let ds = try Dataset(path: out + "/" + name)
            defer { ds.close() }
            return try ds.read(0..<ds.count).map { try XCTUnwrap($0.id) }
        }
    }

    func testPeriodicFramesRoundTripThroughTheSplits() throws {
        let frames = makeFrames(30, seed: 11)
        let input = try writeFile(frames)
        let out = dir + "/out"
        let summary = try prepare(input, out: out)
        XCTAssertEqual(summary.structures, 30)
        XCTAssertEqual(summary.splitCounts, [18, 6, 6])
        XCTAssertEqual(Set(summary.ignoredKeys), ["config_type", "tags"])
        XCTAssertEqual(summary.extensive, ["energy"])
        let expectedTargets = [
            TargetInfo(name: "energy", level: .graph, kind: .scalar, units: "eV"),
            TargetInfo(name: "stress", level: .graph, kind: .rank2, units: "eV/Å^3"),
            TargetInfo(name: "forces", level: .atom, kind: .vector, units: "eV/Å"),
        ]
        XCTAssertEqual(summary.targets, expectedTargets)
        var seen: [Int64] = []
        for (k, name) in SplitDatasetWriter.splitNames.enumerated() {
            let ds = try Dataset(path: out + "/" + name)
            XCTAssertEqual(ds.count, summary.splitCounts[k])
            XCTAssertEqual(ds.shards.count, 2)
            XCTAssertEqual(Set(ds.targets.map { "\($0.level) \($0.name) \($0.kind) \($0.units)" }),
                           Set(expectedTargets.map { "\($0.level) \($0.name) \($0.kind) \($0.units)" }))
            XCTAssertEqual(ds.statistics, summary.statistics, name)
            for shard in ds.shards {
                // round-robin within the split, file order kept in each shard
                let ids = try shard.read(0..<shard.count).map { $0.id! }
                XCTAssertEqual(ids, ids.sorted(), name)
            }
            for s in try ds.read(0..<ds.count) {
                let id = try XCTUnwrap(s.id)
                seen.append(id)
                let f = frames[Int(id)]
                XCTAssertEqual(s.atomicNumbers, f.z)
                XCTAssertEqual(s.positions, f.positions)
                XCTAssertEqual(s.cell, f.cell)
                XCTAssertEqual(s.pbc, f.pbc)
                XCTAssertEqual(s.atomTargets["forces"], f.forces)
                XCTAssertEqual(s.graphTargets["energy"], [f.energy])
                XCTAssertEqual(s.graphTargets["stress"], f.stress)
            }
            ds.close()
        }
        // disjoint and complete
        XCTAssertEqual(seen.count, 30)
        XCTAssertEqual(Set(seen), Set((0..<30).map(Int64.init)))
        // statistics are those of the train split; energy has element references for Si, O, H only
        let train = try Dataset(path: out + "/train")
        let expected = try DatasetStatistics.compute(source: train, extensive: ["energy"])
        train.close()
        XCTAssertEqual(summary.statistics, expected)
        XCTAssertEqual(summary.statistics.structureCount, 18)
        let refs = try XCTUnwrap(summary.statistics["energy"]?.elementReferences)
        XCTAssertEqual(refs.indices.filter { refs[$0] != 0 }, [1, 8, 14])
        XCTAssertEqual(summary.statistics["energy"]?.normalization, .perAtom)
        XCTAssertNil(summary.statistics["stress"]?.elementReferences)
        XCTAssertEqual(summary.statistics["forces"]?.mean, 0)
        XCTAssertGreaterThan(try XCTUnwrap(summary.statistics["forces"]?.std), 0.5)
    }

    func testSplitIsDeterministicForASeed() throws {
        let input = try writeFile(makeFrames(25, seed: 12))
        let out = dir + "/out"
        _ = try prepare(input, out: out, seed: 3, shards: 1)
        let first = try splitIDs(out)
        _ = try prepare(input, out: out, seed: 3, shards: 1)
        XCTAssertEqual(try splitIDs(out), first)
        _ = try prepare(input, out: out, seed: 4, shards: 1)
        XCTAssertNotEqual(try splitIDs(out), first)
        // the split is DatasetSplit's for that seed
        var rng = SeededGenerator(seed: 3)
        let part = try DatasetSplit.assign(count: 25, fractions: [0.6, 0.2, 0.2], using: &rng)
        for (k, ids) in first.enumerated() {
            XCTAssertEqual(ids, (0..<25).filter { part[$0] == k }.map(Int64.init))
        }
    }

    func testLimitUnitsAndExtensiveOverrides() throws {
        let input = try writeFile(makeFrames(20, seed: 13))
        let out = dir + "/out"
        let s = try prepare(input, out: out, limit: 10, units: ["stress": "GPa", "energy": "kcal/mol"],
                            extensive: [])
        XCTAssertEqual(s.structures, 10)
        XCTAssertEqual(Set(try splitIDs(out).joined()), Set((0..<10).map(Int64.init)))
        XCTAssertEqual(s.targets.first { $0.name == "stress" }?.units, "GPa")
        XCTAssertEqual(s.targets.first { $0.name == "energy" }?.units, "kcal/mol")
        XCTAssertEqual(try Dataset(path: out + "/val").targets.first { $0.name == "stress" }?.units, "GPa")
        XCTAssertEqual(s.extensive, [])
        XCTAssertNil(s.statistics["energy"]?.elementReferences)
        XCTAssertEqual(s.statistics["energy"]?.normalization, .perGraph)
        assertThrowsMentioning([input, "--units", "dipole"]) { try self.prepare(input, out: out, units: ["dipole": "D"]) }
        assertThrowsMentioning([input, "--extensive", "forces"]) { try self.prepare(input, out: out, extensive: ["forces"]) }
        assertThrowsMentioning([input, "--extensive", "nope"]) { try self.prepare(input, out: out, extensive: ["nope"]) }
        XCTAssertEqual(try XYZPreparation.parseUnits(["a=eV", "b=", "c=e*Å"]), ["a": "eV", "b": "", "c": "e*Å"])
        assertThrowsMentioning(["--units", "energy"]) { try XYZPreparation.parseUnits(["energy"]) }
        XCTAssertEqual(XYZPreparation.defaultExtensive([
            TargetInfo(name: "energy", level: .graph, kind: .scalar, units: "eV"),
            TargetInfo(name: "Free_Energy", level: .graph, kind: .scalar, units: "eV"),
            TargetInfo(name: "energy_vec", level: .graph, kind: .vector, units: "eV"),
            TargetInfo(name: "atom_energy", level: .atom, kind: .scalar, units: "eV"),
            TargetInfo(name: "gap", level: .graph, kind: .scalar, units: "eV"),
        ]), ["energy", "Free_Energy"])
    }

    func testMoleculesAmongPeriodicFramesGetAZeroCell() throws {
        let frames = makeFrames(12, seed: 14, molecules: [0, 5])
        let input = try writeFile(frames)
        XCTAssertEqual(try XYZReader.countFramesWithLattice(path: input).frames, 12)
        XCTAssertEqual(try XYZReader.countFramesWithLattice(path: input).withLattice, 10)
        let out = dir + "/out"
        _ = try prepare(input, out: out, shards: 1)
        var molecules = 0
        for name in SplitDatasetWriter.splitNames {
            let ds = try Dataset(path: out + "/" + name)
            for s in try ds.read(0..<ds.count) {
                let f = frames[Int(s.id!)]
                if f.cell == nil {
                    molecules += 1
                    XCTAssertEqual(s.cell, [SIMD3<Double>](repeating: .zero, count: 3))
                    XCTAssertEqual(s.pbc, SIMD3<UInt8>.zero)
                    XCTAssertFalse(s.isPeriodic)
                    // the graph code treats it as a molecule: same edges as without any cell
                    var bare = s
                    bare.cell = nil
                    bare.pbc = nil
                    XCTAssertEqual(try NeighborList(cutoff: 3).edges(for: s), try NeighborList(cutoff: 3).edges(for: bare))
                } else {
                    XCTAssertEqual(s.cell, f.cell)
                    XCTAssertTrue(s.isPeriodic)
                }
            }
        }
        XCTAssertEqual(molecules, 2)
    }

    func testErrorsNameTheFileAndLine() throws {
        var frames = makeFrames(6, seed: 15)
        frames[2].symbols[1] = "Xx"
        let input = try writeFile(frames, name: "bad.extxyz")
        // line of frame 2's second atom: two header lines per frame plus the atoms before it
        let line = frames[0..<2].reduce(0) { $0 + 2 + $1.z.count } + 2 + 2
        assertThrowsMentioning([input, "line \(line)", "unknown element symbol 'Xx'"]) {
            try self.prepare(input, out: self.dir + "/out")
        }
        // truncated last frame: found by the counting pass, before anything is written
        let truncated = dir + "/cut.extxyz"
        let lines = text(makeFrames(3, seed: 16)).split(separator: "\n")
        try (lines.dropLast().joined(separator: "\n") + "\n").write(toFile: truncated, atomically: true, encoding: .utf8)
        assertThrowsMentioning([truncated, "line \(lines.count)", "truncated"]) {
            try self.prepare(truncated, out: self.dir + "/out2")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/out2"))
        // empty input, missing file
        let empty = dir + "/empty.xyz"
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        assertThrowsMentioning([empty, "no frames"]) { try self.prepare(empty, out: self.dir + "/out3") }
        assertThrowsMentioning([dir + "/missing.xyz"]) { try self.prepare(self.dir + "/missing.xyz", out: self.dir + "/out4") }
        // command-line values
        assertThrowsMentioning(["--shards"]) { try self.prepare(input, out: self.dir + "/out5", shards: 0) }
        assertThrowsMentioning(["--limit"]) { try self.prepare(input, out: self.dir + "/out5", limit: -1) }
    }
}
