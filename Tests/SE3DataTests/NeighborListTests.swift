import XCTest
import SE3Data

/// Radius graph against brute force over an explicit image range.
final class NeighborListTests: XCTestCase {
    struct E: Hashable, Comparable {
        var dst: Int32, src: Int32, shift: SIMD3<Int32>
        static func < (a: E, b: E) -> Bool {
            (a.dst, a.src, a.shift.x, a.shift.y, a.shift.z) < (b.dst, b.src, b.shift.x, b.shift.y, b.shift.z)
        }
    }

    /// Brute force: every (i, j, n) with n_d in -m_d...m_d (0 if not periodic).
    func bruteForce(_ pos: [SIMD3<Double>], cell: [SIMD3<Double>]?, pbc: SIMD3<UInt8>, cutoff: Double,
                    images m: SIMD3<Int32>) -> [(E, SIMD3<Double>, Double)] {
        var out: [(E, SIMD3<Double>, Double)] = []
        let mm = SIMD3<Int32>(pbc.x != 0 ? m.x : 0, pbc.y != 0 ? m.y : 0, pbc.z != 0 ? m.z : 0)
        for i in pos.indices {
            for j in pos.indices {
                for nx in -mm.x...mm.x { for ny in -mm.y...mm.y { for nz in -mm.z...mm.z {
                    let n = SIMD3<Int32>(nx, ny, nz)
                    if i == j && n == .zero { continue }
                    let v = (pos[j] + NeighborList.cartesianShift(n, cell: cell)) - pos[i]
                    let d2 = (v * v).sum()
                    if d2 < cutoff * cutoff { out.append((E(dst: Int32(i), src: Int32(j), shift: n), v, d2)) }
                }}}
            }
        }
        out.sort { $0.0 < $1.0 }
        return out
    }

    func assertMatches(_ e: GraphEdges, _ ref: [(E, SIMD3<Double>, Double)], _ msg: String,
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(e.count, ref.count, "edge count \(msg)", file: file, line: line)
        let got = (0..<e.count).map { E(dst: e.destination[$0], src: e.source[$0], shift: e.shifts[$0]) }
        XCTAssertEqual(got, ref.map { $0.0 }, "edges (in order) \(msg)", file: file, line: line)
        if got.count == ref.count {
            for k in 0..<got.count {
                let d = e.vectors[k] - ref[k].1
                XCTAssertLessThan((d * d).sum().squareRoot(), 1e-12, "vector \(k) \(msg)", file: file, line: line)
            }
        }
    }

    func randomCloud(_ n: Int, box: Double, _ g: inout SamplerGenerator) -> [SIMD3<Double>] {
        (0..<n).map { _ in SIMD3(g.nextUnit() * box, g.nextUnit() * box, g.nextUnit() * box) }
    }

    /// Images needed along each direction: ceil(cutoff / height) + 1 (computed from the volume here).
    func imageRange(_ c: [SIMD3<Double>], cutoff: Double, extra: Int32 = 2) -> SIMD3<Int32> {
        func cr(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
            SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
        }
        let vol = abs((c[0] * cr(c[1], c[2])).sum())
        var m = SIMD3<Int32>.zero
        for d in 0..<3 {
            let f = cr(c[(d + 1) % 3], c[(d + 2) % 3])
            let h = vol / (f * f).sum().squareRoot()
            m[d] = Int32((cutoff / h).rounded(.up)) + extra
        }
        return m
    }

    func testNonPeriodicMatchesBruteForce() throws {
        var g = SamplerGenerator(seed: 1)
        for (n, box, cutoff) in [(1, 5.0, 3.0), (2, 1.0, 3.0), (17, 6.0, 2.5), (60, 10.0, 3.0), (200, 12.0, 2.0),
                                 (150, 4.0, 5.0), (40, 100.0, 1.5)] {
            let pos = randomCloud(n, box: box, &g)
            let e = try NeighborList(cutoff: cutoff).edges(positions: pos, cell: nil, pbc: nil)
            assertMatches(e, bruteForce(pos, cell: nil, pbc: .zero, cutoff: cutoff, images: .zero),
                          "n=\(n) box=\(box) rc=\(cutoff)")
        }
    }

    func testSymmetricAndSortedNonPeriodic() throws {
        var g = SamplerGenerator(seed: 2)
        let pos = randomCloud(80, box: 8, &g)
        let e = try NeighborList(cutoff: 3).edges(positions: pos, cell: nil, pbc: nil)
        XCTAssertGreaterThan(e.count, 0)
        var set = Set<[Int32]>()
        for k in 0..<e.count { set.insert([e.source[k], e.destination[k]]) }
        for k in 0..<e.count { XCTAssertTrue(set.contains([e.destination[k], e.source[k]])) }
        let off = e.destinationOffsets(atomCount: pos.count)
        XCTAssertEqual(off.last, e.count)
        for a in 0..<pos.count { for k in off[a]..<off[a + 1] { XCTAssertEqual(e.destination[k], Int32(a)) } }
        for (k, l) in e.lengths.enumerated() { XCTAssertLessThan(l, 3); XCTAssertNotEqual(e.source[k], e.destination[k]) }
    }

    func randomCell(_ g: inout SamplerGenerator, scale: Double, skew: Double) -> [SIMD3<Double>] {
        var c = [SIMD3<Double>(scale * (0.8 + 0.4 * g.nextUnit()), 0, 0),
                 SIMD3<Double>(0, scale * (0.8 + 0.4 * g.nextUnit()), 0),
                 SIMD3<Double>(0, 0, scale * (0.8 + 0.4 * g.nextUnit()))]
        for d in 0..<3 { for e in 0..<3 where e != d { c[d][e] += skew * scale * (g.nextUnit() - 0.5) } }
        return c
    }

    func testPeriodicOrthorhombicTriclinicAndSmallCells() throws {
        var g = SamplerGenerator(seed: 3)
        // (atoms, cell scale, skew, cutoff): includes skewed triclinic and cells thinner than the cutoff.
        let cases: [(Int, Double, Double, Double)] = [
            (20, 8.0, 0.0, 3.0), (30, 7.0, 0.9, 3.0), (10, 6.0, 1.4, 2.5), (4, 2.0, 0.0, 3.5),
            (3, 1.7, 1.0, 4.0), (1, 3.0, 0.5, 5.0), (12, 3.0, 1.2, 3.1), (25, 10.0, 1.6, 4.0),
        ]
        for (ci, (n, scale, skew, cutoff)) in cases.enumerated() {
            let cell = randomCell(&g, scale: scale, skew: skew)
            // fractional positions partly outside [0,1) to exercise wrapping
            let pos = (0..<n).map { _ -> SIMD3<Double> in
                let f = SIMD3(g.nextUnit() * 1.6 - 0.3, g.nextUnit() * 1.6 - 0.3, g.nextUnit() * 1.6 - 0.3)
                return f.x * cell[0] + f.y * cell[1] + f.z * cell[2]
            }
            for pbc in [SIMD3<UInt8>(1, 1, 1), SIMD3<UInt8>(1, 0, 1), SIMD3<UInt8>(0, 1, 0)] {
                let e = try NeighborList(cutoff: cutoff).edges(positions: pos, cell: cell, pbc: pbc)
                let ref = bruteForce(pos, cell: cell, pbc: pbc, cutoff: cutoff, images: imageRange(cell, cutoff: cutoff))
                assertMatches(e, ref, "case \(ci) pbc \(pbc)")
                if n == 1 && pbc == SIMD3(1, 1, 1) { XCTAssertGreaterThan(e.count, 0, "self-image edges") }
            }
        }
    }

    func testSelfImagesIncludedZeroShiftExcluded() throws {
        // one atom in a 2 Å cubic cell, cutoff 2.5: 6 face images (2 Å) and 12 edge images (2.83 > 2.5? no)
        let cell = [SIMD3<Double>(2, 0, 0), SIMD3<Double>(0, 2, 0), SIMD3<Double>(0, 0, 2)]
        let e = try NeighborList(cutoff: 2.5).edges(positions: [SIMD3(0.3, 0.4, 0.5)], cell: cell, pbc: SIMD3(1, 1, 1))
        XCTAssertEqual(e.count, 6)
        XCTAssertTrue(e.shifts.allSatisfy { $0 != .zero })
        XCTAssertTrue(e.source.allSatisfy { $0 == 0 } && e.destination.allSatisfy { $0 == 0 })
        for (k, v) in e.vectors.enumerated() {
            let d = v - 2 * SIMD3<Double>(Double(e.shifts[k].x), Double(e.shifts[k].y), Double(e.shifts[k].z))
            XCTAssertLessThan((d * d).sum(), 1e-24)
        }
    }

    /// Coincident atoms, an atom on its own periodic image and oversized structures are errors
    /// that name the atoms and the limit; without limits the same inputs give graphs.
    func testImpossibleGeometryAndSizeLimits() throws {
        let checked = NeighborList(cutoff: 3, minDistance: 0.1, maxAtoms: 3, maxEdges: 4)
        let coincident: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(0, 0, 0)]
        XCTAssertThrowsError(try checked.edges(positions: coincident, cell: nil, pbc: nil, context: "m.h5, structure 7")) {
            let e = $0 as? DataError
            XCTAssertEqual(e?.file, "m.h5, structure 7")
            XCTAssertEqual(e?.message.contains("atoms 2 and 0 are 0.0 Å apart"), true, "\($0)")
            XCTAssertEqual(e?.message.contains("data.min_distance (0.1 Å)"), true, "\($0)")
        }
        XCTAssertEqual(try NeighborList(cutoff: 3).edges(positions: coincident, cell: nil, pbc: nil).count, 6)
        let close: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(0.05, 0, 0)]
        XCTAssertThrowsError(try checked.edges(positions: close, cell: nil, pbc: nil)) {
            XCTAssertEqual(($0 as? DataError)?.message.contains("0.05 Å apart"), true, "\($0)")
        }
        XCTAssertEqual(try checked.edges(positions: [SIMD3(0, 0, 0), SIMD3(0.2, 0, 0)], cell: nil, pbc: nil).count, 2)
        // an atom 0.05 Å from its own image
        let cell = [SIMD3<Double>(0.05, 0, 0), SIMD3<Double>(0, 4, 0), SIMD3<Double>(0, 0, 4)]
        XCTAssertThrowsError(try NeighborList(cutoff: 1, minDistance: 0.1).edges(positions: [.zero], cell: cell, pbc: SIMD3(1, 1, 1))) {
            XCTAssertEqual(($0 as? DataError)?.message.contains("atom 0 and its periodic image"), true, "\($0)")
        }
        // sizes
        let four: [SIMD3<Double>] = (0..<4).map { SIMD3(Double($0), 0, 0) }
        XCTAssertThrowsError(try checked.edges(positions: four, cell: nil, pbc: nil)) {
            XCTAssertEqual(($0 as? DataError)?.message, "4 atoms, more than data.max_atoms_per_structure (3)")
        }
        XCTAssertThrowsError(try checked.edges(positions: Array(four.prefix(3)), cell: nil, pbc: nil)) {
            XCTAssertEqual(($0 as? DataError)?.message.contains("6 edges within the 3.0 Å cutoff, more than data.max_edges_per_structure (4)"),
                           true, "\($0)")
        }
    }

    func testSlabWithZeroNonPeriodicVector() throws {
        var g = SamplerGenerator(seed: 4)
        let cell = [SIMD3<Double>(4, 0, 0), SIMD3<Double>(1.5, 3.8, 0), SIMD3<Double>(0, 0, 0)]
        let pos = (0..<15).map { _ in SIMD3(g.nextUnit() * 5, g.nextUnit() * 4, g.nextUnit() * 6) }
        let e = try NeighborList(cutoff: 3).edges(positions: pos, cell: cell, pbc: SIMD3(1, 1, 0))
        let full = [cell[0], cell[1], SIMD3<Double>(0, 0, 1)]
        assertMatches(e, bruteForce(pos, cell: cell, pbc: SIMD3(1, 1, 0), cutoff: 3,
                                    images: imageRange(full, cutoff: 3)), "slab")
    }

    func testMaxNeighborsKeepsNearestWithDeterministicTies() throws {
        var g = SamplerGenerator(seed: 5)
        let pos = randomCloud(50, box: 6, &g)
        let k = 5
        let e = try NeighborList(cutoff: 4, maxNeighbors: k).edges(positions: pos, cell: nil, pbc: nil)
        let ref = bruteForce(pos, cell: nil, pbc: .zero, cutoff: 4, images: .zero)
        var expected: [(E, SIMD3<Double>, Double)] = []
        for i in 0..<pos.count {
            let mine = ref.filter { $0.0.dst == Int32(i) }
                .sorted { ($0.2, $0.0.src) < ($1.2, $1.0.src) }.prefix(k)
            expected += mine.sorted { $0.0 < $1.0 }
        }
        assertMatches(e, expected, "maxNeighbors")
        let off = e.destinationOffsets(atomCount: pos.count)
        for a in 0..<pos.count { XCTAssertLessThanOrEqual(off[a + 1] - off[a], k) }

        // ties: a square of 4 equidistant neighbours around a centre, keep 2 → smallest source indices
        let sq = [SIMD3<Double>(0, 0, 0), SIMD3(1, 0, 0), SIMD3(-1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, -1, 0)]
        let t = try NeighborList(cutoff: 1.2, maxNeighbors: 2).edges(positions: sq, cell: nil, pbc: nil)
        let centre = (0..<t.count).filter { t.destination[$0] == 0 }.map { t.source[$0] }
        XCTAssertEqual(centre, [1, 2])
        // periodic self-image ties: 6 equal images, keep 3 → lexicographically smallest shifts
        let cell = [SIMD3<Double>(2, 0, 0), SIMD3<Double>(0, 2, 0), SIMD3<Double>(0, 0, 2)]
        let p = try NeighborList(cutoff: 2.5, maxNeighbors: 3).edges(positions: [.zero], cell: cell, pbc: SIMD3(1, 1, 1))
        XCTAssertEqual(p.shifts, [SIMD3(-1, 0, 0), SIMD3(0, -1, 0), SIMD3(0, 0, -1)])
        // maxNeighbors 0 gives no edges
        XCTAssertEqual(try NeighborList(cutoff: 4, maxNeighbors: 0).edges(positions: pos, cell: nil, pbc: nil).count, 0)
    }

    func testStructureOverloadAndTranslationInvariance() throws {
        var g = SamplerGenerator(seed: 6)
        let cell = randomCell(&g, scale: 6, skew: 0.8)
        let pos = (0..<12).map { _ in SIMD3(g.nextUnit() * 6, g.nextUnit() * 6, g.nextUnit() * 6) }
        let s = Structure(atomicNumbers: [Int32](repeating: 6, count: 12), positions: pos, cell: cell, pbc: SIMD3(1, 1, 1))
        let nl = NeighborList(cutoff: 3.5)
        let e = try nl.edges(for: s)
        // translating every atom by a lattice vector changes no vector
        var t = s
        t.positions = pos.map { $0 + cell[1] - 2 * cell[2] }
        let f = try nl.edges(for: t)
        XCTAssertEqual(e.source, f.source)
        XCTAssertEqual(e.destination, f.destination)
        XCTAssertEqual(e.shifts, f.shifts)
        for k in 0..<e.count { XCTAssertLessThan(((e.vectors[k] - f.vectors[k]) * (e.vectors[k] - f.vectors[k])).sum(), 1e-20) }
        // pbc all false: cell ignored
        var np = s
        np.pbc = SIMD3(0, 0, 0)
        XCTAssertEqual(try nl.edges(for: np), try nl.edges(positions: pos, cell: nil, pbc: nil))
    }

    /// Reference from ASE 3.29 `neighbor_list('ijS', atoms, 2.9)` (i = destination, j = source,
    /// S = shift; ASE's D = pos[j] - pos[i] + S·cell is our edge vector), for a skewed cell
    /// thinner than the cutoff with pbc = T T F and an atom outside the cell.
    func testMatchesASENeighborList() throws {
        let cell = [SIMD3<Double>(2.6, 0.0, 0.0), SIMD3<Double>(1.1, 2.4, 0.0), SIMD3<Double>(0.3, -0.4, 6.0)]
        let pos = [SIMD3<Double>(0.1, 0.2, 0.3), SIMD3<Double>(1.9, 1.4, 1.2), SIMD3<Double>(3.5, -0.7, 2.0)]
        let ase: [[Int32]] = [[0, 0, -1, 0, 0], [0, 0, -1, 1, 0], [0, 0, 0, -1, 0], [0, 0, 0, 1, 0], [0, 0, 1, -1, 0], [0, 0, 1, 0, 0], [0, 1, -1, -1, 0], [0, 1, -1, 0, 0], [0, 1, 0, -1, 0], [0, 1, 0, 0, 0], [0, 2, -2, 0, 0], [0, 2, -2, 1, 0], [0, 2, -1, 0, 0], [1, 0, 0, 0, 0], [1, 0, 0, 1, 0], [1, 0, 1, 0, 0], [1, 0, 1, 1, 0], [1, 1, -1, 0, 0], [1, 1, -1, 1, 0], [1, 1, 0, -1, 0], [1, 1, 0, 1, 0], [1, 1, 1, -1, 0], [1, 1, 1, 0, 0], [1, 2, -2, 1, 0], [1, 2, -1, 0, 0], [1, 2, -1, 1, 0], [1, 2, 0, 0, 0], [1, 2, 0, 1, 0], [2, 0, 1, 0, 0], [2, 0, 2, -1, 0], [2, 0, 2, 0, 0], [2, 1, 0, -1, 0], [2, 1, 0, 0, 0], [2, 1, 1, -1, 0], [2, 1, 1, 0, 0], [2, 1, 2, -1, 0], [2, 2, -1, 0, 0], [2, 2, -1, 1, 0], [2, 2, 0, -1, 0], [2, 2, 0, 1, 0], [2, 2, 1, -1, 0], [2, 2, 1, 0, 0]]
        let e = try NeighborList(cutoff: 2.9).edges(positions: pos, cell: cell, pbc: SIMD3(1, 1, 0))
        let got = (0..<e.count).map { [e.destination[$0], e.source[$0], e.shifts[$0].x, e.shifts[$0].y, e.shifts[$0].z] }
        XCTAssertEqual(got, ase)
    }

    func testBadInputThrows() {
        let pos = [SIMD3<Double>(0, 0, 0), SIMD3<Double>(1, 0, 0)]
        func field(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch let e as DataError { return e.field } catch { return "other" }
        }
        XCTAssertEqual(field { _ = try NeighborList(cutoff: 0).edges(positions: pos, cell: nil, pbc: nil) }, "cutoff")
        XCTAssertEqual(field { _ = try NeighborList(cutoff: -1).edges(positions: pos, cell: nil, pbc: nil) }, "cutoff")
        XCTAssertEqual(field { _ = try NeighborList(cutoff: .nan).edges(positions: pos, cell: nil, pbc: nil) }, "cutoff")
        XCTAssertEqual(field { _ = try NeighborList(cutoff: 2, maxNeighbors: -1).edges(positions: pos, cell: nil, pbc: nil) }, "maxNeighbors")
        XCTAssertEqual(field { _ = try NeighborList(cutoff: 2).edges(positions: [SIMD3(.nan, 0, 0)], cell: nil, pbc: nil) }, "positions")
        let singular = [SIMD3<Double>(1, 0, 0), SIMD3<Double>(2, 0, 0), SIMD3<Double>(0, 0, 1)]
        XCTAssertEqual(field { _ = try NeighborList(cutoff: 2).edges(positions: pos, cell: singular, pbc: SIMD3(1, 1, 1)) }, "cell")
        XCTAssertEqual(field { _ = try NeighborList(cutoff: 2).edges(positions: pos, cell: nil, pbc: SIMD3(1, 0, 0)) }, "cell")
        let tiny = [SIMD3<Double>(1e-4, 0, 0), SIMD3<Double>(0, 1e-4, 0), SIMD3<Double>(0, 0, 1e-4)]
        XCTAssertEqual(field { _ = try NeighborList(cutoff: 5).edges(positions: pos, cell: tiny, pbc: SIMD3(1, 1, 1)) }, "cell")
        let noCell = Structure(atomicNumbers: [1, 1], positions: pos, cell: nil, pbc: SIMD3(1, 1, 1))
        XCTAssertEqual(field { _ = try NeighborList(cutoff: 2).edges(for: noCell) }, "cell")
        let mismatch = Structure(atomicNumbers: [1], positions: pos)
        XCTAssertEqual(field { _ = try NeighborList(cutoff: 2).edges(for: mismatch) }, "positions")
        // singular cell is fine when not periodic
        XCTAssertNil(field { _ = try NeighborList(cutoff: 2).edges(positions: pos, cell: singular, pbc: SIMD3(0, 0, 0)) })
        XCTAssertEqual(try NeighborList(cutoff: 2).edges(positions: [], cell: nil, pbc: nil).count, 0)
    }

    /// A large periodic liquid-like cloud: the cell list finds the expected number of pairs (its
    /// speed is measured by `se3 bench neighbor-list`, not here).
    func testLargeSystemEdgeCount() throws {
        var g = SamplerGenerator(seed: 7)
        let box = 36.0, n = 4_000
        let pos = randomCloud(n, box: box, &g)
        let cell = [SIMD3<Double>(box, 0, 0), SIMD3<Double>(0, box, 0), SIMD3<Double>(0, 0, box)]
        let e = try NeighborList(cutoff: 5).edges(positions: pos, cell: cell, pbc: SIMD3(1, 1, 1))
        // expected count: N · density · 4/3 π rc³
        let expected = Double(n) * (Double(n) / (box * box * box)) * 4.0 / 3.0 * Double.pi * 125
        XCTAssertEqual(Double(e.count), expected, accuracy: 0.03 * expected)
    }
}
