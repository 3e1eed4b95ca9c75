import Foundation
import XCTest
import SE3Data
import SE3Math

/// QM9 import against the first 50 molecules of qm9pack's `qm9_part1.csv`
/// (fixture `Fixtures/qm9_part1_head50.csv`, cut from the wheel, header + 50 lines).
final class QM9ImportTests: XCTestCase {
    var fixture: String { DatasetTestSupport.testsDirectory() + "/Fixtures/qm9_part1_head50.csv" }
    var dir = ""
    override func setUpWithError() throws { dir = try DatasetTestSupport.temporaryDirectory() }
    override func tearDown() { DatasetTestSupport.remove(dir) }

    /// Independent, simple CSV reading for the test: fields by a quote-aware split.
    func rows() throws -> (header: [String], rows: [[String]]) {
        let text = try String(contentsOfFile: fixture, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        func fields(_ line: String) -> [String] {
            var out: [String] = [], cur = "", quoted = false
            for ch in line {
                if ch == "\"" { quoted.toggle() } else if ch == "," && !quoted { out.append(cur); cur = "" } else { cur.append(ch) }
            }
            out.append(cur)
            return out
        }
        return (fields(lines[0]), lines.dropFirst().map(fields))
    }

    func numbers(_ s: String) -> [Double] {
        s.replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: "")
            .split(separator: ",").map { Double($0)! }
    }

    func testFirst50MoleculesMatchTheCSV() throws {
        let (header, rows) = try rows()
        XCTAssertEqual(rows.count, 50)
        func col(_ name: String) -> Int { header.firstIndex(of: name)! }
        let importer = try QM9Importer(source: fixture)
        let molecules = try importer.read(limit: 1000)
        XCTAssertEqual(molecules.count, 50)
        let symbols: [String: Int32] = ["H": 1, "C": 6, "N": 7, "O": 8, "F": 9]
        let h = 27.211386246
        for (m, row) in zip(molecules, rows) {
            XCTAssertEqual(m.id, Int64(row[col("Index")]))
            let elements = row[col("Elements")].replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: "")
                .replacingOccurrences(of: "'", with: "").split(separator: ",").map { symbols[String($0)]! }
            XCTAssertEqual(m.atomicNumbers, elements)
            XCTAssertEqual(m.atomCount, Int(row[col("N_atoms")]))
            let xyz = numbers(row[col("XYZ_Ang")])
            XCTAssertEqual(m.positions.flatMap { [$0.x, $0.y, $0.z] }, xyz)
            XCTAssertEqual(m.atomTargets["charges"], numbers(row[col("Mulliken_pop")]))
            func v(_ c: String) -> Double { Double(row[col(c)])! }
            XCTAssertEqual(m.graphTargets["U0"]![0], v("InternalEnergy_0K_au") * h, accuracy: 1e-9)
            XCTAssertEqual(m.graphTargets["U"]![0], v("InternalEnergy_298K_au") * h, accuracy: 1e-9)
            XCTAssertEqual(m.graphTargets["H"]![0], v("Enthalphy_298K_au") * h, accuracy: 1e-9)
            XCTAssertEqual(m.graphTargets["G"]![0], v("GibbsFreeEnergy_298K_au") * h, accuracy: 1e-9)
            XCTAssertEqual(m.graphTargets["homo"]![0], v("HOMO_au") * h, accuracy: 1e-12)
            XCTAssertEqual(m.graphTargets["lumo"]![0], v("LUMO_au") * h, accuracy: 1e-12)
            XCTAssertEqual(m.graphTargets["gap"]![0], v("HOMO_LUMO_gap_au") * h, accuracy: 1e-12)
            XCTAssertEqual(m.graphTargets["zpve"]![0], v("ZPVE_au") * h, accuracy: 1e-12)
            XCTAssertEqual(m.graphTargets["mu"]![0], v("Dipole_debye"))
            XCTAssertEqual(m.graphTargets["alpha"]![0], v("Polarizability_bohr3"))
            XCTAssertEqual(m.graphTargets["r2"]![0], v("R2_bohr2"))
            XCTAssertEqual(m.graphTargets["Cv"]![0], v("Heatcapacity_Cv_cal_mol_K"))
            XCTAssertEqual(m.graphTargets.count, 12)
        }
        // The first molecule is methane, spot-checked by hand against the file.
        XCTAssertEqual(molecules[0].atomicNumbers, [6, 1, 1, 1, 1])
        XCTAssertEqual(molecules[0].graphTargets["U0"]![0], -40.47893 * h, accuracy: 1e-9)
        XCTAssertEqual(molecules[0].positions[0].x, -0.0126981359)
        XCTAssertEqual(molecules[0].atomTargets["charges"]![0], -0.535689)
        XCTAssertEqual(try importer.countMolecules(), 50)
        XCTAssertEqual(try importer.countMolecules(limit: 20), 20)
        XCTAssertEqual(try importer.read(limit: 7).count, 7)
    }

    func testSourceDirectoryDiscovery() throws {
        let nested = dir + "/wheel/qm9pack/data"
        try FileManager.default.createDirectory(atPath: nested, withIntermediateDirectories: true)
        let lines = try String(contentsOfFile: fixture, encoding: .utf8).split(separator: "\n")
        try (lines[0...10].joined(separator: "\n") + "\n").write(toFile: nested + "/qm9_part2.csv", atomically: true, encoding: .utf8)
        try ([lines[0]] + lines[11...20]).joined(separator: "\n").write(toFile: nested + "/qm9_part10.csv", atomically: true, encoding: .utf8)
        try ([lines[0]] + lines[21...25]).joined(separator: "\n").write(toFile: nested + "/qm9_part1.csv", atomically: true, encoding: .utf8)
        try "XYZ_file,A_xx\n".write(toFile: nested + "/qm9_polarizability.csv", atomically: true, encoding: .utf8)
        let importer = try QM9Importer(source: dir + "/wheel")
        XCTAssertEqual(importer.files.map { ($0 as NSString).lastPathComponent }, ["qm9_part1.csv", "qm9_part2.csv", "qm9_part10.csv"])
        let ids = try importer.read(limit: 100).map { $0.id! }
        XCTAssertEqual(ids, Array(21...25).map(Int64.init) + Array(1...10).map(Int64.init) + Array(11...20).map(Int64.init))
        assertThrowsMentioning([dir + "/empty", "--source"]) { try QM9Importer(source: dir + "/empty") }
    }

    func testMalformedCSVErrorsNameFileLineAndColumn() throws {
        let lines = try String(contentsOfFile: fixture, encoding: .utf8).split(separator: "\n").map(String.init)
        func write(_ body: [String]) throws -> String {
            let p = dir + "/bad-\(UUID().uuidString).csv"
            try ([lines[0]] + body).joined(separator: "\n").write(toFile: p, atomically: true, encoding: .utf8)
            return p
        }
        // Drop one coordinate of molecule 3 (line 4).
        let badXYZ = lines[3].replacingOccurrences(of: "[[-0.0343604951,", with: "[[")
        var p = try write([lines[1], lines[2], badXYZ])
        assertThrowsMentioning([p, "line 4", "XYZ_Ang", "coordinates"]) { try QM9Importer(source: p).read(limit: 10) }
        // Unknown element.
        p = try write([lines[1].replacingOccurrences(of: "['C','H','H','H','H']", with: "['C','H','Xx','H','H']")])
        assertThrowsMentioning([p, "line 2", "Elements", "Xx"]) { try QM9Importer(source: p).read(limit: 10) }
        // Non-numeric property.
        p = try write([lines[1].replacingOccurrences(of: ",-40.47893,", with: ",oops,")])
        assertThrowsMentioning([p, "line 2", "InternalEnergy_0K_au", "oops"]) { try QM9Importer(source: p).read(limit: 10) }
        // Missing field.
        p = try write([lines[1], String(lines[2][..<lines[2].lastIndex(of: ",")!])])
        assertThrowsMentioning([p, "line 3", "fields"]) { try QM9Importer(source: p).read(limit: 10) }
        // Missing column in the header.
        let q = dir + "/nohdr.csv"
        try (lines[0].replacingOccurrences(of: "Mulliken_pop", with: "Charges") + "\n" + lines[1]).write(toFile: q, atomically: true, encoding: .utf8)
        assertThrowsMentioning([q, "line 1", "Mulliken_pop"]) { try QM9Importer(source: q).read(limit: 10) }
        // Charges count mismatch.
        p = try write([lines[1].replacingOccurrences(of: "[-0.535689,0.133921,", with: "[-0.535689,")])
        assertThrowsMentioning([p, "line 2", "Mulliken_pop"]) { try QM9Importer(source: p).read(limit: 10) }
    }

    func testPrepareWritesSplitsShardsAndStatistics() throws {
        let out = dir + "/out"
        func prepare(seed: UInt64) throws -> QM9Preparation.Summary {
            var rng = SeededGenerator(seed: seed)
            return try QM9Preparation(source: fixture, output: out, limit: 40, shards: 2, fractions: [0.8, 0.1, 0.1], chunkRows: 8)
                .run(using: &rng)
        }
        let summary = try prepare(seed: 7)
        XCTAssertEqual(summary.molecules, 40)
        XCTAssertEqual(summary.splitCounts, [32, 4, 4])
        var idSets: [Set<Int64>] = []
        for name in QM9Preparation.splitNames {
            let ds = try Dataset(path: out + "/" + name)
            XCTAssertEqual(ds.shards.count, 2)
            XCTAssertEqual(ds.targets.count, 13)
            XCTAssertEqual(ds.statistics, summary.statistics)
            idSets.append(Set(try ds.read(0..<ds.count).map { $0.id! }))
        }
        XCTAssertTrue(idSets[0].isDisjoint(with: idSets[1]))
        XCTAssertTrue(idSets[0].isDisjoint(with: idSets[2]))
        XCTAssertTrue(idSets[1].isDisjoint(with: idSets[2]))
        XCTAssertEqual(idSets[0].union(idSets[1]).union(idSets[2]), Set((1...40).map(Int64.init)))
        // Statistics are those of the train split, with element references for the extensive energies.
        let train = try Dataset(path: out + "/train")
        let expected = try DatasetStatistics.compute(source: train, extensive: QM9Importer.extensiveTargets)
        train.close()
        XCTAssertEqual(summary.statistics, expected)
        for name in ["U0", "U", "H", "G", "zpve"] { XCTAssertNotNil(summary.statistics[name]?.elementReferences, name) }
        XCTAssertNil(summary.statistics["gap"]?.elementReferences)
        // Same seed, same split; another seed, another split.
        _ = try prepare(seed: 7)
        XCTAssertEqual(Set(try Dataset(path: out + "/val").read(0..<4).map { $0.id! }), idSets[1])
        _ = try prepare(seed: 8)
        XCTAssertNotEqual(Set(try Dataset(path: out + "/train").read(0..<32).map { $0.id! }), idSets[0])
    }
}
