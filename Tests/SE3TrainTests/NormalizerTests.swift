import XCTest
import Foundation
import SE3Data
import SE3Math
import SE3Train

final class NormalizerTests: XCTestCase {
    /// Molecules with every kind of target: graph scalar y (extensive), graph vector mu,
    /// atom scalar q, graph rank-2 T, atom vector f.
    func batchWithAllKinds() throws -> GraphBatch {
        var structures = TestData.structures(count: 5, seed: 11)
        var rng = SeededGenerator(seed: 12)
        for i in structures.indices {
            structures[i].graphTargets["T"] = (0..<9).map { _ in rng.nextGaussian() }
            structures[i].atomTargets["f"] = (0..<(3 * structures[i].atomCount)).map { _ in rng.nextGaussian() }
        }
        return try BatchBuilder(cutoff: 3).build(structures)
    }

    func normalizer() -> TargetNormalizer {
        let refs = (0..<119).map { Double($0) * 0.25 }
        return TargetNormalizer(targets: [
            .init(name: "y", level: .graph, kind: .scalar, units: "eV", extensive: true, mean: 0.3, std: 2, elementReferences: refs),
            .init(name: "mu", level: .graph, kind: .vector, units: "D", mean: 0, std: 0.5),
            .init(name: "q", level: .atom, kind: .scalar, units: "e", mean: 0.1, std: 0.2),
            .init(name: "T", level: .graph, kind: .rank2, units: "a.u.", mean: 1.5, std: 3),
            .init(name: "f", level: .atom, kind: .vector, units: "eV/Å", mean: 0, std: 4),
        ])
    }

    func testRoundTripEveryKind() throws {
        let batch = try batchWithAllKinds()
        let n = normalizer()
        let standardized = try n.standardizedTargets(batch)
        let back = n.physicalPredictions(standardized, batch: batch)
        for t in n.targets {
            let truth = (t.level == .graph ? batch.graphTargets[t.name] : batch.atomTargets[t.name])!
            let b = try XCTUnwrap(back[t.name])
            XCTAssertEqual(b.count, truth.count, t.name)
            for i in truth.indices { XCTAssertEqual(b[i], truth[i], accuracy: 1e-12, "\(t.name)[\(i)]") }
        }
    }

    func testFormulasPerKind() throws {
        let batch = try batchWithAllKinds()
        let n = normalizer()
        let s = try n.standardizedTargets(batch)
        // extensive: (y − Σ r_Z − N μ) / σ for structure 1
        let a0 = batch.atomOffsets[1], a1 = batch.atomOffsets[2]
        let refSum = batch.atomicNumbers[a0..<a1].reduce(0.0) { $0 + Double($1) * 0.25 }
        let y = batch.graphTargets["y"]![1]
        XCTAssertEqual(s["y"]![1], (y - refSum - Double(a1 - a0) * 0.3) / 2, accuracy: 1e-12)
        // vector: y / σ, no mean
        XCTAssertEqual(s["mu"]![4], batch.graphTargets["mu"]![4] / 0.5, accuracy: 1e-12)
        // atom scalar: (y − μ) / σ
        XCTAssertEqual(s["q"]![3], (batch.atomTargets["q"]![3] - 0.1) / 0.2, accuracy: 1e-12)
        // rank 2: mean only on the diagonal (isotropic part)
        let T = batch.graphTargets["T"]!
        for c in 0..<9 {
            let expected = (T[9 + c] - ([0, 4, 8].contains(c) ? 1.5 : 0)) / 3
            XCTAssertEqual(s["T"]![9 + c], expected, accuracy: 1e-12, "T component \(c)")
        }
        // the mean predictor (standardised 0) of an extensive target is Σ r_Z + N μ
        let zeros = ["y": [Double](repeating: 0, count: batch.graphCount)]
        XCTAssertEqual(n.physicalPredictions(zeros, batch: batch)["y"]![1], refSum + Double(a1 - a0) * 0.3, accuracy: 1e-12)
    }

    func testNonPositiveStdBecomesOne() {
        XCTAssertEqual(TargetNormalizer.Target(name: "a", level: .graph, kind: .scalar, units: "", mean: 0, std: 0).std, 1)
        XCTAssertEqual(TargetNormalizer.Target(name: "a", level: .graph, kind: .scalar, units: "", mean: 0, std: .nan).std, 1)
    }

    func testCodableRoundTrip() throws {
        let n = normalizer()
        let back = try JSONDecoder().decode(TargetNormalizer.self, from: try JSONEncoder().encode(n))
        XCTAssertEqual(back, n)
    }

    func testMakeUsesDatasetStatisticsWhenTheyMatchAndComputesOtherwise() throws {
        let dir = TestData.scratch("norm")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let structures = TestData.structures(count: 40, seed: 3)
        let memory = InMemorySource(structures: structures, targets: TestData.targets)
        let stats = try DatasetStatistics.compute(source: memory, extensive: ["y"])
        let withStats = try Dataset(path: try TestData.write(structures, to: dir + "/a.h5", statistics: stats))
        let without = try Dataset(path: try TestData.write(structures, to: dir + "/b.h5"))
        let config = [TargetConfig(name: "y", extensive: true), TargetConfig(name: "mu"), TargetConfig(name: "q")]

        let fromStats = try TargetNormalizer.make(targets: config, infos: try DatasetChecks.resolveTargets(config, in: withStats),
                                                  statistics: withStats.statistics, source: withStats, sourceName: "a")
        let computed = try TargetNormalizer.make(targets: config, infos: try DatasetChecks.resolveTargets(config, in: without),
                                                 statistics: without.statistics, source: without, sourceName: "b")
        XCTAssertNil(without.statistics)
        XCTAssertEqual(fromStats.target(named: "y")?.elementReferences, stats["y"]?.elementReferences)
        XCTAssertEqual(fromStats.target(named: "y")?.std, stats["y"]?.std)
        XCTAssertEqual(fromStats.target(named: "q")?.mean, stats["q"]?.mean)
        for name in ["y", "mu", "q"] {
            let a = fromStats.target(named: name)!, b = computed.target(named: name)!
            XCTAssertEqual(a.mean, b.mean, accuracy: 1e-9, name)
            XCTAssertEqual(a.std, b.std, accuracy: 1e-9, name)
        }
        XCTAssertEqual(computed.target(named: "mu")?.mean, 0)
        XCTAssertTrue(computed.target(named: "y")!.extensive)
        // intensive config for y: the stored (extensive) entry does not match, so it is computed
        let intensive = try TargetNormalizer.make(targets: [TargetConfig(name: "y")],
                                                  infos: try DatasetChecks.resolveTargets([TargetConfig(name: "y")], in: withStats),
                                                  statistics: withStats.statistics, source: withStats, sourceName: "a")
        let ys = structures.map { $0.graphTargets["y"]![0] }
        let mean = ys.reduce(0, +) / Double(ys.count)
        XCTAssertNil(intensive.targets[0].elementReferences)
        XCTAssertEqual(intensive.targets[0].mean, mean, accuracy: 1e-9)
    }
}
