import XCTest
import SE3Data

final class BatchBuilderTests: XCTestCase {
    func molecule(_ n: Int, id: Int64, _ g: inout SamplerGenerator, periodic: Bool = false) -> Structure {
        let pos = (0..<n).map { _ in SIMD3(g.nextUnit() * 4, g.nextUnit() * 4, g.nextUnit() * 4) }
        let z = (0..<n).map { _ in Int32(1 + g.nextIndex(below: 9)) }
        var s = Structure(atomicNumbers: z, positions: pos, id: id,
                          graphTargets: ["energy": [Double(id) * 1.5], "dipole": [Double(id), 0, -Double(id)]],
                          atomTargets: ["forces": (0..<(3 * n)).map { Double($0) + 100 * Double(id) }])
        if periodic {
            s.cell = [SIMD3(5, 0, 0), SIMD3(1, 5, 0), SIMD3(0, 0, 5)]
            s.pbc = SIMD3(1, 1, 1)
        }
        return s
    }

    func testOffsetsIndicesAndTargets() throws {
        var g = SamplerGenerator(seed: 11)
        let mols = [molecule(5, id: 3, &g), molecule(1, id: 4, &g), molecule(9, id: 7, &g, periodic: true), molecule(4, id: 8, &g)]
        let builder = BatchBuilder(cutoff: 2.5)
        let b = try builder.build(mols)
        XCTAssertEqual(b.graphCount, 4)
        XCTAssertEqual(b.atomOffsets, [0, 5, 6, 15, 19])
        XCTAssertEqual(b.atomCount, 19)
        XCTAssertEqual(b.ids, [3, 4, 7, 8])
        XCTAssertEqual(b.graphIndex, [Int32](repeating: 0, count: 5) + [1] + [Int32](repeating: 2, count: 9) + [3, 3, 3, 3])
        XCTAssertEqual(b.graphTargets["energy"], [4.5, 6, 10.5, 12])
        XCTAssertEqual(b.graphTargets["dipole"], mols.flatMap { $0.graphTargets["dipole"]! })
        XCTAssertEqual(b.atomTargets["forces"], mols.flatMap { $0.atomTargets["forces"]! })
        XCTAssertEqual(b.cells[6..<9].map { $0 }, mols[2].cell!)
        XCTAssertEqual(b.cells[0..<3].map { $0 }, [.zero, .zero, .zero])
        XCTAssertEqual(b.pbc, [.zero, .zero, SIMD3(1, 1, 1), .zero])
        XCTAssertEqual(b.edgeOffsets.count, 5)
        XCTAssertEqual(b.edgeOffsets.last, b.edgeCount)
        for (k, m) in mols.enumerated() {
            let e = try NeighborList(cutoff: 2.5).edges(for: m)
            let r = b.edgeOffsets[k]..<b.edgeOffsets[k + 1]
            XCTAssertEqual(r.count, e.count)
            XCTAssertEqual(b.source[r].map { $0 - Int32(b.atomOffsets[k]) }, e.source)
            XCTAssertEqual(b.destination[r].map { $0 - Int32(b.atomOffsets[k]) }, e.destination)
            XCTAssertEqual(Array(b.edgeVectors[r]), e.vectors)
            XCTAssertEqual(Array(b.shifts[r]), e.shifts)
            for t in r {
                XCTAssertEqual(b.graphIndex[Int(b.source[t])], Int32(k))
                XCTAssertEqual(b.graphIndex[Int(b.destination[t])], Int32(k))
                // edge vector convention with batch data
                let gidx = Int(b.graphIndex[Int(b.source[t])])
                let cell = Array(b.cells[(3 * gidx)..<(3 * gidx + 3)])
                let v = b.positions[Int(b.source[t])] + NeighborList.cartesianShift(b.shifts[t], cell: cell) - b.positions[Int(b.destination[t])]
                XCTAssertLessThan(((v - b.edgeVectors[t]) * (v - b.edgeVectors[t])).sum(), 1e-20)
            }
        }
        XCTAssertTrue(b.shifts.contains { $0 != .zero }, "periodic molecule must produce image edges")
        // destinations sorted globally
        XCTAssertEqual(b.destination, b.destination.sorted())
    }

    func testSplittingByCaps() throws {
        var g = SamplerGenerator(seed: 12)
        let sizes = [3, 4, 10, 2, 2, 2, 7, 1]
        let mols = sizes.enumerated().map { molecule($0.element, id: Int64($0.offset), &g) }
        // atoms cap 8: [3,4] [10 alone: exceeds] [2,2,2] [7,1]
        let a = try BatchBuilder(cutoff: 2, maxAtoms: 8).batches(mols)
        XCTAssertEqual(a.map { $0.ids.map { $0! } }, [[0, 1], [2], [3, 4, 5], [6, 7]])
        // structures cap 3
        let s = try BatchBuilder(cutoff: 2, maxStructures: 3).batches(mols)
        XCTAssertEqual(s.map { $0.graphCount }, [3, 3, 2])
        // edge cap: every batch within the cap unless it is a single structure
        let cap = 20
        let e = try BatchBuilder(cutoff: 3, maxEdges: cap).batches(mols)
        XCTAssertEqual(e.flatMap { $0.ids.map { $0! } }, Array(0..<Int64(sizes.count)))
        for b in e where b.graphCount > 1 { XCTAssertLessThanOrEqual(b.edgeCount, cap) }
        // greedy: the first structure of the next batch would not have fitted
        for k in 0..<(e.count - 1) {
            let next = try NeighborList(cutoff: 3).edges(for: mols[Int(e[k + 1].ids[0]!)]).count
            XCTAssertGreaterThan(e[k].edgeCount + next, cap)
        }
        // no caps: one batch equals build
        XCTAssertEqual(try BatchBuilder(cutoff: 2).batches(mols), [try BatchBuilder(cutoff: 2).build(mols)])
    }

    func testTargetMismatchThrows() {
        var g = SamplerGenerator(seed: 13)
        let a = molecule(3, id: 0, &g)
        var b = molecule(3, id: 1, &g)
        b.graphTargets["energy"] = [1, 2]
        XCTAssertThrowsError(try BatchBuilder(cutoff: 2).build([a, b])) { e in
            XCTAssertEqual((e as? DataError)?.field, "graph/energy")
        }
        var c = molecule(3, id: 2, &g)
        c.atomTargets["forces"] = [1, 2, 3, 4]
        XCTAssertThrowsError(try BatchBuilder(cutoff: 2).build([a, c])) { e in
            XCTAssertEqual((e as? DataError)?.field, "atom/forces")
        }
        var d = molecule(3, id: 3, &g)
        d.graphTargets["gap"] = [0]
        XCTAssertThrowsError(try BatchBuilder(cutoff: 2).build([a, d])) { e in
            XCTAssertEqual((e as? DataError)?.field, "targets")
        }
        XCTAssertThrowsError(try BatchBuilder(cutoff: -2).build([a]))
    }
}
