import XCTest
import SE3Data
import SE3Math

final class DatasetStatisticsTests: XCTestCase {
    let targets = [
        TargetInfo(name: "E", level: .graph, kind: .scalar, units: "eV"),
        TargetInfo(name: "gap", level: .graph, kind: .scalar, units: "eV"),
        TargetInfo(name: "mu", level: .graph, kind: .vector, units: "D"),
        TargetInfo(name: "q", level: .atom, kind: .scalar, units: "e"),
    ]
    let trueRefs: [Int32: Double] = [1: -13.6, 6: -1029.8, 7: -1485.3, 8: -2042.6, 9: -2713.0]

    /// Random molecules of H, C, N, O, F with E = Σ ref[Z] + noise·N.
    func molecules(_ count: Int, noise: Double, seed: UInt64) -> [Structure] {
        var rng = SeededGenerator(seed: seed)
        let elements: [Int32] = [1, 6, 7, 8, 9]
        return (0..<count).map { _ in
            let n = Int.random(in: 2...20, using: &rng)
            let z = (0..<n).map { _ in elements[Int.random(in: 0..<5, using: &rng)] }
            let e = z.reduce(0.0) { $0 + trueRefs[$1]! } + noise * Double(n) * rng.nextGaussian()
            return Structure(atomicNumbers: z, positions: [SIMD3<Double>](repeating: .zero, count: n),
                             graphTargets: ["E": [e], "gap": [5 + rng.nextGaussian()],
                                            "mu": [rng.nextGaussian(), 2 * rng.nextGaussian(), 0.5]],
                             atomTargets: ["q": (0..<n).map { _ in 0.1 + 0.3 * rng.nextGaussian() }])
        }
    }

    func testElementReferencesRecoveredExactlyWithoutNoise() throws {
        let data = molecules(300, noise: 0, seed: 41)
        let stats = try DatasetStatistics.compute(source: DatasetArraySource(structures: data, targets: targets),
                                                  extensive: ["E"], batchSize: 64)
        let e = try XCTUnwrap(stats["E"])
        let refs = try XCTUnwrap(e.elementReferences)
        XCTAssertEqual(refs.count, 119)
        for z in 0..<119 {
            XCTAssertEqual(refs[z], trueRefs[Int32(z)] ?? 0, accuracy: 1e-7, "Z = \(z)")
        }
        XCTAssertEqual(e.mean, 0, accuracy: 1e-9)
        XCTAssertEqual(e.std, 0, accuracy: 1e-9)
        XCTAssertEqual(e.normalization, .perAtom)
        XCTAssertTrue(e.isExtensive)
    }

    func testElementReferencesWithNoiseAndResidualStatistics() throws {
        let data = molecules(2000, noise: 0.05, seed: 42)
        let source = DatasetArraySource(structures: data, targets: targets)
        let stats = try DatasetStatistics.compute(source: source, extensive: ["E"])
        let e = try XCTUnwrap(stats["E"])
        let refs = try XCTUnwrap(e.elementReferences)
        for (z, r) in trueRefs { XCTAssertEqual(refs[Int(z)], r, accuracy: 0.05, "Z = \(z)") }
        // Residual statistics by the documented definition, recomputed directly.
        let residuals = data.map { s -> Double in
            (s.graphTargets["E"]![0] - s.atomicNumbers.reduce(0.0) { $0 + refs[Int($1)] }) / Double(s.atomCount)
        }
        let mean = residuals.reduce(0, +) / Double(residuals.count)
        let std = (residuals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(residuals.count)).squareRoot()
        XCTAssertEqual(e.mean, mean, accuracy: 1e-9)
        XCTAssertEqual(e.std, std, accuracy: 1e-9)
        // Noise per atom is N(0, 0.05²) · N / N: the per-atom residual std is close to 0.05.
        XCTAssertEqual(e.std, 0.05, accuracy: 0.01)
        XCTAssertEqual(e.count, 2000)
    }

    func testRankDeficientCompositionsStillFit() throws {
        // Every molecule is (CH2)_k: the H and C count columns are collinear.
        var data: [Structure] = []
        for k in 1...30 {
            let z = [Int32](repeating: 6, count: k) + [Int32](repeating: 1, count: 2 * k)
            let e = Double(k) * (-1029.8 + 2 * -13.6)
            data.append(Structure(atomicNumbers: z, positions: [SIMD3<Double>](repeating: .zero, count: 3 * k),
                                  graphTargets: ["E": [e], "gap": [1], "mu": [0, 0, 0]],
                                  atomTargets: ["q": [Double](repeating: 0, count: 3 * k)]))
        }
        let stats = try DatasetStatistics.compute(source: DatasetArraySource(structures: data, targets: targets), extensive: ["E"])
        let refs = try XCTUnwrap(stats["E"]?.elementReferences)
        XCTAssertTrue(refs[1] == 0 || refs[6] == 0, "one dependent element gets reference 0")
        XCTAssertEqual(refs[6] + 2 * refs[1], -1029.8 + 2 * -13.6, accuracy: 1e-7)
        XCTAssertEqual(stats["E"]!.std, 0, accuracy: 1e-9)
    }

    func testIntensiveVectorAndAtomStatistics() throws {
        let data = molecules(500, noise: 0, seed: 43)
        let stats = try DatasetStatistics.compute(source: DatasetArraySource(structures: data, targets: targets), extensive: [])
        func meanStd(_ v: [Double]) -> (Double, Double) {
            let m = v.reduce(0, +) / Double(v.count)
            return (m, (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count)).squareRoot())
        }
        let gap = meanStd(data.map { $0.graphTargets["gap"]![0] })
        XCTAssertEqual(stats["gap"]!.mean, gap.0, accuracy: 1e-10)
        XCTAssertEqual(stats["gap"]!.std, gap.1, accuracy: 1e-10)
        XCTAssertEqual(stats["gap"]!.normalization, .perGraph)
        XCTAssertNil(stats["E"]!.elementReferences)
        let q = meanStd(data.flatMap { $0.atomTargets["q"]! })
        XCTAssertEqual(stats["q"]!.mean, q.0, accuracy: 1e-10)
        XCTAssertEqual(stats["q"]!.std, q.1, accuracy: 1e-10)
        XCTAssertEqual(stats["q"]!.normalization, .perAtom)
        XCTAssertEqual(stats["q"]!.count, data.reduce(0) { $0 + $1.atomCount })
        let mu = data.flatMap { $0.graphTargets["mu"]! }
        XCTAssertEqual(stats["mu"]!.mean, 0)
        XCTAssertEqual(stats["mu"]!.std, (mu.map { $0 * $0 }.reduce(0, +) / Double(mu.count)).squareRoot(), accuracy: 1e-10)
        XCTAssertEqual(stats.structureCount, 500)
    }

    func testExtensiveRequiresGraphScalarAndKnownTargets() throws {
        let source = DatasetArraySource(structures: molecules(5, noise: 0, seed: 44), targets: targets)
        assertThrowsMentioning(["/graph/mu", "graph-level scalar"]) { try DatasetStatistics.compute(source: source, extensive: ["mu"]) }
        assertThrowsMentioning(["/atom/q"]) { try DatasetStatistics.compute(source: source, extensive: ["q"]) }
        assertThrowsMentioning(["nope"]) { try DatasetStatistics.compute(source: source, targets: ["nope"]) }
    }

    func testStatisticsStorageRoundTrip() throws {
        let dir = try DatasetTestSupport.temporaryDirectory()
        defer { DatasetTestSupport.remove(dir) }
        let data = molecules(50, noise: 0.01, seed: 45)
        let stats = try DatasetStatistics.compute(source: DatasetArraySource(structures: data, targets: targets), extensive: ["E"])
        let path = try DatasetFixtures.write(data, to: dir + "/s.h5", targets: targets, statistics: stats)
        let shard = try DatasetShard(path: path)
        XCTAssertEqual(shard.statistics, stats)
        shard.close()
        // Replacing statistics in place.
        var other = stats
        other.entries["gap"]!.mean = 42
        try other.write(toShardAt: path)
        XCTAssertEqual(try DatasetShard(path: path).statistics, other)
    }
}
