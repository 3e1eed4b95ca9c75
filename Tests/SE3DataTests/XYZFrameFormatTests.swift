import XCTest
import SE3Data

/// `XYZFrameFormat` and the reader's `keepText` / `skip`: written frames read back with the
/// project's own reader, with every original key and column and the added ones.
final class XYZFrameFormatTests: XCTestCase {
    let periodic = """
    2
    Lattice="4.0 0.0 0.0 0.5 4.0 0.0 0.0 0.0 5.0" Properties=species:S:1:pos:R:3:forces:R:3:tags:I:1 energy=-12.3 config_type=bulk pbc="T T F"
    Si       0.00000000       0.00000000       0.00000000       0.10000000      -0.20000000       0.30000000 0
    Si       1.35000000       1.36000000       1.37000000      -0.10000000       0.20000000      -0.30000000 1
    3
    energy=-5.0 Properties=species:S:1:pos:R:3:forces:R:3:tags:I:1 pbc="F F F"
    O  0.0 0.0 0.0  1 2 3 0
    H  0.9 0.0 0.1  4 5 6 0
    H -0.3 0.9 0.0  7 8 9 0
    1
    energy=2.0 Properties=species:S:1:pos:R:3:forces:R:3:tags:I:1
    He 0 0 0 0 0 0 0

    """

    func testCopiedFramesKeepEverythingAndGainKeysAndColumns() throws {
        let r = try XYZReader(text: periodic, options: XYZReader.Options(keepText: true))
        var out = ""
        var originals: [Structure] = []
        while let s = try r.next() {
            originals.append(s)
            let text = try XCTUnwrap(r.frameText)
            XCTAssertEqual(text.atomLines.count, s.atomCount)
            let n = s.atomCount
            out += XYZFrameFormat.frame(text: text,
                                        info: [.init(name: "se3_energy", components: 1, values: [Double(n) + 0.25]),
                                               .init(name: "se3_dipole", components: 3, values: [1, 2, 3])],
                                        columns: [.init(name: "se3_forces", components: 3, values: (0..<(3 * n)).map { Double($0) / 8 })])
        }
        XCTAssertTrue(out.contains("config_type=bulk"), out)
        XCTAssertTrue(out.contains("Properties=species:S:1:pos:R:3:forces:R:3:tags:I:1:se3_forces:R:3 energy=-12.3"), out)
        let back = try XYZReader(text: out).readAll()
        XCTAssertEqual(back.count, 3)
        for (a, b) in zip(originals, back) {
            XCTAssertEqual(b.atomicNumbers, a.atomicNumbers)
            XCTAssertEqual(b.positions, a.positions)
            XCTAssertEqual(b.cell, a.cell)
            XCTAssertEqual(b.pbc, a.pbc)
            XCTAssertEqual(b.graphTargets["energy"], a.graphTargets["energy"])
            XCTAssertEqual(b.atomTargets["forces"], a.atomTargets["forces"])
            XCTAssertEqual(b.graphTargets["se3_energy"], [Double(a.atomCount) + 0.25])
            XCTAssertEqual(b.graphTargets["se3_dipole"], [1, 2, 3])
            XCTAssertEqual(b.atomTargets["se3_forces"], (0..<(3 * a.atomCount)).map { Double($0) / 8 })
        }
    }

    func testPlainXYZGainsAPropertiesEntry() throws {
        let plain = "2\nwater fragment\nO 0 0 0\nH 0.96 0 0\n"
        let r = try XYZReader(text: plain, options: XYZReader.Options(keepText: true))
        _ = try XCTUnwrap(r.next())
        let out = XYZFrameFormat.frame(text: try XCTUnwrap(r.frameText),
                                       columns: [.init(name: "q", components: 1, values: [-0.5, 0.5])])
        XCTAssertEqual(out, "2\nProperties=species:S:1:pos:R:3:q:R:1 water fragment\nO 0 0 0 -0.5\nH 0.96 0 0 0.5\n")
        let back = try XCTUnwrap(try XYZReader(text: out).next())
        XCTAssertEqual(back.atomTargets["q"], [-0.5, 0.5])
    }

    func testStructureFramesReadBackExactly() throws {
        let s = Structure(atomicNumbers: [6, 8], positions: [SIMD3(0.1, -0.2, 1.0 / 3.0), SIMD3(1.2e-7, 2, 3)],
                          cell: [SIMD3(5, 0, 0), SIMD3(0, 5, 0), SIMD3(0.5, 0, 7)], pbc: SIMD3(1, 1, 0), id: 42,
                          graphTargets: ["homo": [-0.2492], "dipole": [0.1, 0.2, 0.3]],
                          atomTargets: ["forces": [1, 2, 3, 4, 5, 6]])
        let text = XYZFrameFormat.frame(s, info: [.init(name: "se3_homo", components: 1, values: [-0.25])],
                                        columns: [.init(name: "se3_forces", components: 3, values: [6, 5, 4, 3, 2, 1])])
        let b = try XCTUnwrap(try XYZReader(text: text).next())
        XCTAssertEqual(b.atomicNumbers, s.atomicNumbers)
        XCTAssertEqual(b.positions, s.positions, "positions are written exactly")
        XCTAssertEqual(b.cell, s.cell)
        XCTAssertEqual(b.pbc, s.pbc)
        XCTAssertEqual(b.graphTargets["id"], [42])
        XCTAssertEqual(b.graphTargets["homo"], [-0.2492])
        XCTAssertEqual(b.graphTargets["dipole"], [0.1, 0.2, 0.3])
        XCTAssertEqual(b.graphTargets["se3_homo"], [-0.25])
        XCTAssertEqual(b.atomTargets["forces"], [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(b.atomTargets["se3_forces"], [6, 5, 4, 3, 2, 1])

        let molecule = Structure(atomicNumbers: [1], positions: [.zero], cell: [.zero, .zero, .zero], pbc: .zero)
        let m = XYZFrameFormat.frame(molecule)
        XCTAssertFalse(m.contains("Lattice"), "a zero cell is no lattice: \(m)")
        XCTAssertTrue(m.contains("pbc=\"F F F\""), m)
        XCTAssertNil(try XCTUnwrap(try XYZReader(text: m).next()).cell)
    }

    func testSkipPassesOverFramesAndKeepsFileIndices() throws {
        let r = try XYZReader(text: periodic, options: XYZReader.Options(keepText: true))
        XCTAssertEqual(try r.skip(2), 2)
        let s = try XCTUnwrap(r.next())
        XCTAssertEqual(s.id, 2)
        XCTAssertEqual(s.atomicNumbers, [2])
        XCTAssertEqual(r.frameText?.atomLines, ["He 0 0 0 0 0 0 0"])
        XCTAssertEqual(try r.skip(5), 0)
        XCTAssertNil(try r.next())

        let q = try XYZReader(text: periodic)
        XCTAssertEqual(try q.skip(1), 1)
        XCTAssertEqual(try q.next()?.id, 1)
        XCTAssertNil(q.frameText, "no text without keepText")
        XCTAssertEqual(try q.skip(10), 1)
        XCTAssertThrowsError(try XYZReader(text: periodic + "3\nenergy=1\nH 0 0 0\n").skip(4)) { e in
            XCTAssertTrue("\(e)".contains("truncated"), "\(e)")
        }
    }

    func testNames() {
        XCTAssertTrue(XYZFrameFormat.isValidName("se3_energy"))
        XCTAssertTrue(XYZFrameFormat.isValidName("MACE-forces.1"))
        for bad in ["", "a b", "a=b", "a:b", "\"a", "é"] { XCTAssertFalse(XYZFrameFormat.isValidName(bad), bad) }
    }
}
