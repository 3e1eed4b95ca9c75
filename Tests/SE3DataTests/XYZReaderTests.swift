import XCTest
import SE3Data

final class XYZReaderTests: XCTestCase {
    /// Two periodic frames in the layout ASE writes (extra string/bool/int info and an I column).
    let periodic = """
    2
    Lattice="4.0 0.0 0.0 0.5 4.0 0.0 0.0 0.0 5.0" Properties=species:S:1:pos:R:3:forces:R:3:tags:I:1 energy=-12.3 stress="1.0 0.1 0.2 0.1 2.0 0.3 0.2 0.3 3.0" free_energy=-12.4 config_type=bulk converged pbc="T T T"
    Si       0.00000000       0.00000000       0.00000000       0.10000000      -0.20000000       0.30000000 0
    Si       1.35000000       1.36000000       1.37000000      -0.10000000       0.20000000      -0.30000000 1
    3
    Lattice="6.0 0.0 0.0 0.0 6.0 0.0 0.0 0.0 20.0" Properties=species:S:1:pos:R:3:forces:R:3:tags:I:1 energy=-5.0 stress="0 0 0 0 0 0 0 0 1e-3" free_energy=-5.1 config_type=slab pbc="T T F"
    O  0.0 0.0 0.0  1 2 3 0
    h  0.9 0.0 0.1  4 5 6 0
    H -0.3 0.9 0.0  7 8 9 0

    """

    let molecule = """
    3
    energy=1.5 dipole="0.1 0.2 0.3" Properties=Z:I:1:pos:R:3:charges:R:1
    8 0.0 0.0 0.0 -0.8
    1 0.96 0.0 0.0 0.4
    1 -0.24 0.93 0.0 0.4
    """

    func testPeriodicFramesFromFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("se3-xyz-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bulk.extxyz").path
        try periodic.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try XYZReader(path: path)
        XCTAssertEqual(r.targets, [
            TargetInfo(name: "energy", level: .graph, kind: .scalar, units: "eV"),
            TargetInfo(name: "stress", level: .graph, kind: .rank2, units: "eV/Å^3"),
            TargetInfo(name: "free_energy", level: .graph, kind: .scalar, units: "eV"),
            TargetInfo(name: "forces", level: .atom, kind: .vector, units: "eV/Å"),
        ])
        XCTAssertEqual(Set(r.ignoredKeys), ["config_type", "converged", "tags"])
        let a = try XCTUnwrap(r.next())
        XCTAssertEqual(a.atomicNumbers, [14, 14])
        XCTAssertEqual(a.positions, [SIMD3(0, 0, 0), SIMD3(1.35, 1.36, 1.37)])
        XCTAssertEqual(a.cell!, [SIMD3(4, 0, 0), SIMD3(0.5, 4, 0), SIMD3(0, 0, 5)])
        XCTAssertEqual(a.pbc, SIMD3(1, 1, 1))
        XCTAssertEqual(a.id, 0)
        XCTAssertEqual(a.graphTargets["energy"], [-12.3])
        XCTAssertEqual(a.graphTargets["free_energy"], [-12.4])
        XCTAssertEqual(a.graphTargets["stress"], [1.0, 0.1, 0.2, 0.1, 2.0, 0.3, 0.2, 0.3, 3.0])
        XCTAssertEqual(a.atomTargets["forces"], [0.1, -0.2, 0.3, -0.1, 0.2, -0.3])
        let b = try XCTUnwrap(r.next())
        XCTAssertEqual(b.atomicNumbers, [8, 1, 1])
        XCTAssertEqual(b.pbc, SIMD3(1, 1, 0))
        XCTAssertEqual(b.id, 1)
        XCTAssertEqual(b.atomTargets["forces"], (1...9).map(Double.init))
        XCTAssertEqual(b.graphTargets["stress"]!.last, 1e-3)
        XCTAssertNil(try r.next())
        XCTAssertNil(try r.next())
        XCTAssertEqual(r.framesRead, 2)
        // the structures feed the graph code directly
        XCTAssertGreaterThan(try NeighborList(cutoff: 3).edges(for: a).count, 0)
    }

    func testNonPeriodicWithZColumnAndScalarAtomTarget() throws {
        let r = try XYZReader(text: molecule, name: "water.xyz")
        let s = try r.readAll()
        XCTAssertEqual(s.count, 1)
        XCTAssertEqual(s[0].atomicNumbers, [8, 1, 1])
        XCTAssertNil(s[0].cell)
        XCTAssertNil(s[0].pbc)
        XCTAssertFalse(s[0].isPeriodic)
        XCTAssertEqual(s[0].graphTargets, ["energy": [1.5], "dipole": [0.1, 0.2, 0.3]])
        XCTAssertEqual(s[0].atomTargets, ["charges": [-0.8, 0.4, 0.4]])
        XCTAssertEqual(r.targets.map { $0.kind }, [.scalar, .vector, .scalar])
    }

    func testPlainXYZVoigtStressBracketsAndCRLF() throws {
        let text = "2\r\nstress=[1, 2, 3, 4, 5, 6] note=\"a \\\"quoted\\\" word\" info={x y}\r\nC 0 0 0\r\nN 1.1 0 0\r\n"
        let r = try XYZReader(text: text)
        let s = try XCTUnwrap(r.next())
        XCTAssertEqual(s.atomicNumbers, [6, 7])
        // Voigt (xx, yy, zz, yz, xz, xy) → row-major symmetric 3×3
        XCTAssertEqual(s.graphTargets["stress"], [1, 6, 5, 6, 2, 4, 5, 4, 3])
        XCTAssertEqual(Set(r.ignoredKeys), ["note", "info"])
        // a repeated key keeps its last value (ASE semantics), also when the first was not numeric
        let dup = try XYZReader(text: "1\nenergy=abc energy=2.5\nH 0 0 0\n").next()!
        XCTAssertEqual(dup.graphTargets, ["energy": [2.5]])
        // explicit key lists
        let o = try XYZReader(text: periodic, options: .init(graphKeys: ["energy"], atomKeys: []))
        XCTAssertEqual(o.targets.map { $0.name }, ["energy"])
        XCTAssertEqual(try o.readAll().map { $0.graphTargets }, [["energy": [-12.3]], ["energy": [-5.0]]])
        XCTAssertThrowsError(try XYZReader(text: periodic, options: .init(graphKeys: ["gap"])))
    }

    func testCommentLineWithNonASCIITabsAndSpacedEquals() throws {
        // byte-level parsing: multi-byte UTF-8 inside values and keys, tabs, "key = value", bare keys
        let text = "1\nnote=\"Å – ü\"\tenergy = -1.25  'size µ'=3 dipole={0.5 -0.5 1e-2} relaxed Lattice=[[2,0,0],[0,2,0],[0,0,2]]\nH 0 0 0\n"
        let r = try XYZReader(text: text)
        XCTAssertEqual(r.targets.map(\.name), ["energy", "size µ", "dipole"])
        let s = try XCTUnwrap(r.next())
        XCTAssertEqual(s.graphTargets, ["energy": [-1.25], "size µ": [3], "dipole": [0.5, -0.5, 0.01]])
        XCTAssertEqual(s.cell, [SIMD3(2, 0, 0), SIMD3(0, 2, 0), SIMD3(0, 0, 2)])
        XCTAssertEqual(Set(r.ignoredKeys), ["note", "relaxed"])
        XCTAssertEqual(try XYZReader.countFramesWithLattice(text: text + text.replacingOccurrences(of: "Lattice", with: "L")).withLattice, 1)
        XCTAssertThrowsError(try XYZReader(text: "1\nnote=\"Å\nH 0 0 0\n", name: "q.xyz")) {
            XCTAssertEqual(($0 as? DataError)?.field, "line 2")
        }
        XCTAssertThrowsError(try XYZReader.countFramesWithLattice(text: "1\nx={1 2\nH 0 0 0\n", name: "b.xyz")) {
            XCTAssertEqual(($0 as? DataError)?.field, "line 2")
        }
    }

    func assertError(_ text: String, line: Int, contains words: [String], file: StaticString = #filePath, l: UInt = #line) {
        do {
            let r = try XYZReader(text: text, name: "bad.xyz")
            _ = try r.readAll()
            XCTFail("no error", file: file, line: l)
        } catch let e as DataError {
            XCTAssertEqual(e.file, "bad.xyz", file: file, line: l)
            XCTAssertEqual(e.field, "line \(line)", "\(e)", file: file, line: l)
            for w in words { XCTAssertTrue(e.message.contains(w), "'\(e.message)' lacks '\(w)'", file: file, line: l) }
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: l)
        }
    }

    func testErrorsNameFileAndLine() {
        let head = "2\nProperties=species:S:1:pos:R:3:forces:R:3 energy=1\n"
        assertError(head + "C 0 0 0 0 0 0\nXx 1 0 0 0 0 0\n", line: 4, contains: ["unknown element", "Xx"])
        assertError(head + "C 0 0 0 0 0 0\nC 1 0 0 0 0\n", line: 4, contains: ["expected 7 columns", "got 6"])
        assertError(head + "C 0 0 0 0 0 0\nC 1 zero 0 0 0 0\n", line: 4, contains: ["pos", "zero"])
        assertError(head + "C 0 0 0 0 0 0\nC 1 0 0 0 0 x\n", line: 4, contains: ["forces", "'x'"])
        assertError(head + "C 0 0 0 0 0 0\n", line: 4, contains: ["truncated", "2 atoms"])
        assertError("2\n", line: 2, contains: ["truncated"])
        assertError("999999999999999\nenergy=1\nH 0 0 0\n", line: 4, contains: ["truncated", "999999999999999 atoms"])
        assertError("two\nenergy=1\n", line: 1, contains: ["number of atoms"])
        assertError(head + "C 0 0 0 0 0 0\nC 1 0 0 0 0 0\n1\nProperties=species:S:1:pos:R:3 energy=1\nC 0 0 0\n",
                    line: 6, contains: ["frame 1", "differ"])
        assertError("1\nLattice=\"1 0 0 0 1 0 0 0\"\nC 0 0 0\n", line: 2, contains: ["Lattice"])
        assertError("1\npbc=\"T T T\"\nC 0 0 0\n", line: 2, contains: ["no Lattice"])
        assertError("1\nProperties=species:S:1:pos:Q:3\nC 0 0 0\n", line: 2, contains: ["unknown type"])
        assertError("1\nnote=\"open\nC 0 0 0\n", line: 2, contains: ["unterminated"])
        assertError("1\nProperties=Z:I:1:pos:R:3\n200 0 0 0\n", line: 3, contains: ["1...118"])
        assertError("1\n\nC 0 nan 0\n", line: 3, contains: ["finite"])
    }

    /// Found by review while fuzzing (a trap in debug builds): a column count near `Int.max`
    /// overflowed the column arithmetic of `Properties`.
    func testHugePropertiesColumnCountIsAnError() {
        assertError("1\nProperties=species:S:1:pos:R:3:x:R:9223372036854775807\nC 0 0 0 1\n", line: 2,
                    contains: ["Properties", "x", "more than 1048576"])
        assertError("1\nProperties=species:S:1:pos:R:3:a:R:4611686018427387904:b:R:4611686018427387904\nC 0 0 0 1 2\n",
                    line: 2, contains: ["Properties", "more than"])
        assertError("1\nProperties=species:S:1:pos:R:3:x:R:1048573\nC 0 0 0 1\n", line: 2, contains: ["x", "more than"])
        assertError("1\nProperties=species:S:1:pos:R:3:x:R:1048572\nC 0 0 0 1\n", line: 3, contains: ["expected 1048576 columns"])
    }

    func testStreamsLazilyAndErrorsAppearAtTheBadFrame() throws {
        // frame 0 fine, frame 1 broken: the reader opens and yields frame 0 before failing
        let text = "1\nenergy=1\nC 0 0 0\n1\nenergy=2\nQq 0 0 0\n"
        let r = try XYZReader(text: text, name: "lazy.xyz")
        XCTAssertEqual(try r.next()?.graphTargets["energy"], [1])
        XCTAssertThrowsError(try r.next()) { XCTAssertEqual(($0 as? DataError)?.field, "line 6") }
        // empty input: no targets, no structures
        let e = try XYZReader(text: "\n\n")
        XCTAssertEqual(e.targets, [])
        XCTAssertNil(try e.next())
        XCTAssertThrowsError(try XYZReader(path: "/nonexistent/file.xyz"))
    }

    /// Frames written verbatim by `ase.io.write(f, atoms, format="extxyz")` (ASE 3.29) for
    /// SiC with a SinglePointCalculator (energy, forces, Voigt stress 1...6), info and arrays,
    /// and a water molecule. Stress [1, 2, 3, 4, 5, 6] (Voigt) was written as the full 3×3.
    let aseBulk = """
    2
    Lattice="4.0 0.0 0.0 0.5 4.0 0.0 0.0 0.0 5.0" Properties=species:S:1:pos:R:3:charges_ref:R:1:forces:R:3 config_type=bulk dipole_moment="0.1 0.2 0.3" energy=-12.5 stress="1.0 6.0 5.0 6.0 2.0 4.0 5.0 4.0 3.0" pbc="T T F"
    Si       0.00000000       0.00000000       0.00000000       0.50000000       0.10000000      -0.20000000       0.30000000
    C        1.10000000       1.20000000       1.30000000      -0.50000000      -0.10000000       0.20000000      -0.30000000
    """
    let aseWater = """
    3
    Properties=species:S:1:pos:R:3:forces:R:3 energy=-14.0 pbc="F F F"
    H        0.00000000       0.00000000       0.00000000       0.00000000       0.00000000       0.00000000
    H        0.96000000       0.00000000       0.00000000       0.00000000       0.00000000       0.00000000
    O       -0.24000000       0.93000000       0.00000000       0.00000000       0.00000000       0.00000000
    """

    func testFilesWrittenByASE() throws {
        let r = try XYZReader(text: aseBulk)
        XCTAssertEqual(r.targets.map { "\($0.level) \($0.name) \($0.kind)" },
                       ["graph dipole_moment vector", "graph energy scalar", "graph stress rank2",
                        "atom charges_ref scalar", "atom forces vector"])
        let s = try XCTUnwrap(r.next())
        XCTAssertEqual(s.atomicNumbers, [14, 6])
        XCTAssertEqual(s.pbc, SIMD3(1, 1, 0))
        XCTAssertEqual(s.cell!, [SIMD3(4, 0, 0), SIMD3(0.5, 4, 0), SIMD3(0, 0, 5)])
        XCTAssertEqual(s.graphTargets["energy"], [-12.5])
        XCTAssertEqual(s.atomTargets["charges_ref"], [0.5, -0.5])
        XCTAssertEqual(s.atomTargets["forces"], [0.1, -0.2, 0.3, -0.1, 0.2, -0.3])
        // the 9-number stress ASE wrote equals our Voigt expansion of the calculator's [1...6]
        let voigt = try XYZReader(text: "1\nstress=\"1 2 3 4 5 6\"\nH 0 0 0\n").next()!
        XCTAssertEqual(s.graphTargets["stress"], voigt.graphTargets["stress"])
        let w = try XYZReader(text: aseWater).next()!
        XCTAssertEqual(w.atomicNumbers, [1, 1, 8])
        XCTAssertNil(w.cell)
        XCTAssertFalse(w.isPeriodic)
        // different target sets in one file are rejected at the second frame
        let both = try XYZReader(text: aseBulk + "\n" + aseWater, name: "mixed.xyz")
        _ = try both.next()
        XCTAssertThrowsError(try both.next()) { XCTAssertEqual(($0 as? DataError)?.field, "line 6") }
    }

    func testCountFrames() throws {
        XCTAssertEqual(try XYZReader.countFrames(text: periodic), 2)
        XCTAssertEqual(try XYZReader.countFrames(text: molecule + "\n" + molecule + "\n"), 2)
        XCTAssertEqual(try XYZReader.countFrames(text: ""), 0)
        XCTAssertThrowsError(try XYZReader.countFrames(text: "3\nenergy=1\nH 0 0 0\n", name: "t.xyz")) {
            XCTAssertEqual(($0 as? DataError)?.field, "line 4")
        }
        XCTAssertThrowsError(try XYZReader.countFrames(text: "x\n")) { XCTAssertEqual(($0 as? DataError)?.field, "line 1") }
    }

    func testElementSymbolsAsXYZWritesThem() {
        // The reader uses DatasetElements: IUPAC case, or any case ("FE", "h" as some writers emit).
        XCTAssertEqual(DatasetElements.atomicNumber("Og"), 118)
        XCTAssertEqual(DatasetElements.atomicNumber("FE"), 26)
        XCTAssertEqual(DatasetElements.atomicNumber("h"), 1)
        XCTAssertEqual(DatasetElements.symbol(79), "Au")
        XCTAssertNil(DatasetElements.atomicNumber("J"))
        XCTAssertEqual(Set(DatasetElements.symbols.dropFirst()).count, 118)
    }
}
