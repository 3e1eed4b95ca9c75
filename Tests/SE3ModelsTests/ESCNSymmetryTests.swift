import SE3Math
import SE3Models
import SE3Tensor
import XCTest

/// Symmetries of eSCN for every head kind (sphere heads for scalars and direct forces, the shared
/// head for rank 2) at lmax 2, 4 and 6 with mmax 1 and 2. The S² activations and the heads'
/// sampling are quadratures, so eSCN is equivariant up to their error: at fairchem's default grids
/// the error is that of fairchem's eSCN (a few per cent on forces at initialisation), and with finer
/// grids it falls to round-off, which is what these tests check: errors are relative to each
/// output's largest magnitude.
final class ESCNSymmetryTests: XCTestCase {
    func expected(_ t: Tensor<Double>, _ spec: OutputSpec, _ r: Rotation) -> Tensor<Double> {
        switch spec.kind {
        case .scalar: return t
        case .vector: return rotateVectors(t, r)
        case .rank2: return rotateMatrices(t, r)
        }
    }

    func model(_ config: ModelConfig, outputs: [OutputSpec] = allOutputs, seed: UInt64) throws -> any GraphModel<Double> {
        let m = try ModelFactory.make(config: config, outputs: outputs, seed: seed, as: Double.self)
        perturbZeroParameters(m.store, seed: seed)
        return m
    }

    /// `max |a − b| / max |b|` (the outputs are checked to be far from zero).
    func error(_ a: Tensor<Double>, _ b: Tensor<Double>) -> Double {
        a.maxAbsDifference(b) / b.scalars.map(Swift.abs).max()!
    }

    /// The worst error over every output and over two proper rotations.
    func rotationError(_ m: any GraphModel<Double>, _ g: AtomGraph, rng: inout SeededGenerator,
                       outputs: [OutputSpec] = allOutputs) throws -> Double {
        let base = try runModel(m, g)
        for spec in outputs { XCTAssertGreaterThan(base[spec.name]!.scalars.map(Swift.abs).max()!, 1e-4, spec.name) }
        var worst = 0.0
        for _ in 0..<2 {
            let r = Rotation.random(using: &rng)
            let out = try runModel(m, g.transformed(by: r))
            for spec in outputs { worst = max(worst, error(out[spec.name]!, expected(base[spec.name]!, spec, r))) }
        }
        return worst
    }

    func check(lmax: Int, mmax: Int, grid: Int, samples: Int, tolerance: Double, seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let mols = RandomMolecules(rng: &rng, graphs: 2, atoms: 3...6, elements: [1, 6, 8])
        let m = try model(escnConfig(lmax: lmax, mmax: mmax, latitudes: grid, longitudes: 2 * grid, samples: samples), seed: seed)
        let err = try rotationError(m, mols.graph, rng: &rng)
        XCTAssertLessThan(err, tolerance, "lmax \(lmax), mmax \(mmax), grid \(grid) × \(2 * grid), \(samples) samples")
        // translations are exact at any resolution
        let base = try runModel(m, mols.graph), moved = try runModel(m, mols.graph.translated(by: SIMD3(-4, 2.5, 9)))
        for spec in allOutputs { XCTAssertLessThan(error(moved[spec.name]!, base[spec.name]!), 1e-12, spec.name) }
    }

    func testRotationEquivarianceLmax2() throws {
        try check(lmax: 2, mmax: 2, grid: 40, samples: 5000, tolerance: 1e-11, seed: 81)
        try check(lmax: 2, mmax: 1, grid: 40, samples: 5000, tolerance: 1e-11, seed: 82)
    }

    func testRotationEquivarianceLmax4() throws {
        try check(lmax: 4, mmax: 2, grid: 40, samples: 5000, tolerance: 1e-11, seed: 83)
        try check(lmax: 4, mmax: 1, grid: 40, samples: 5000, tolerance: 1e-11, seed: 84)
    }

    func testRotationEquivarianceLmax6() throws {
        try check(lmax: 6, mmax: 2, grid: 40, samples: 5000, tolerance: 1e-11, seed: 85)
        try check(lmax: 6, mmax: 1, grid: 40, samples: 5000, tolerance: 1e-11, seed: 86)
    }

    /// At fairchem's resolutions (and 128 samples) the error is that of a quadrature: visible but
    /// small for scalars, and it falls by orders of magnitude on a finer grid.
    func testDefaultGridsAreApproximatelyEquivariant() throws {
        var rng = SeededGenerator(seed: 87)
        let mols = RandomMolecules(rng: &rng, graphs: 2, atoms: 3...6, elements: [1, 6, 8])
        let energy = [allOutputs[0]]
        let coarse = try rotationError(try model(escnConfig(lmax: 2, mmax: 2), outputs: energy, seed: 87), mols.graph,
                                       rng: &rng, outputs: energy)
        let fine = try rotationError(try model(escnConfig(lmax: 2, mmax: 2, latitudes: 20, longitudes: 40, samples: 800),
                                               outputs: energy, seed: 87), mols.graph, rng: &rng, outputs: energy)
        XCTAssertGreaterThan(coarse, 1e-8, "a pointwise activation on a coarse grid aliases")
        XCTAssertLessThan(coarse, 1e-2)
        XCTAssertLessThan(fine, 1e-3 * coarse)
    }

    /// Edges along ±z (where the frame's roll is a convention) give the same outputs as the
    /// rotated molecule, whose edges are generic.
    func testEdgesOnThePolarAxis() throws {
        var rng = SeededGenerator(seed: 88)
        let positions: [SIMD3<Double>] = [.zero, SIMD3(0, 0, 1.1), SIMD3(0, 0, -1.3), SIMD3(0.9, 0.4, 0.2), SIMD3(0, 0, 2.3)]
        var src: [Int32] = [], dst: [Int32] = []
        for i in 0..<positions.count { for j in 0..<positions.count where i != j {
            let v = positions[i] - positions[j]
            if (v * v).sum() < 2.5 * 2.5 { src.append(Int32(i)); dst.append(Int32(j)) }
        } }
        let g = AtomGraph(atomicNumbers: [6, 8, 1, 1, 6], atomGraph: [0, 0, 0, 0, 0], graphCount: 1, positions: positions,
                          edgeSource: src, edgeDestination: dst)
        XCTAssertGreaterThanOrEqual(g.edgeVectors.filter { $0.x == 0 && $0.y == 0 }.count, 8)
        let m = try model(escnConfig(lmax: 3, mmax: 2, latitudes: 30, longitudes: 60, samples: 800), seed: 88)
        XCTAssertLessThan(try rotationError(m, g, rng: &rng), 1e-12)
    }

    func testPermutationsAndIsolatedAtoms() throws {
        var rng = SeededGenerator(seed: 89)
        let mols = RandomMolecules(rng: &rng, graphs: 2, atoms: 3...5, elements: [1, 6, 8])
        let g = mols.graph
        let m = try model(escnConfig(lmax: 2, mmax: 1), seed: 89)
        let base = try runModel(m, g)
        var perm = [Int](repeating: 0, count: g.atomCount)
        var start = 0
        while start < g.atomCount {
            var end = start
            while end < g.atomCount && g.atomGraph[end] == g.atomGraph[start] { end += 1 }
            for old in start..<end { perm[old] = start + end - 1 - old }
            start = end
        }
        var z = g.atomicNumbers, pos = g.positions
        for old in 0..<g.atomCount { z[perm[old]] = g.atomicNumbers[old]; pos[perm[old]] = g.positions[old] }
        let order = Array(0..<g.edgeCount).shuffled(using: &rng)
        let pg = AtomGraph(atomicNumbers: z, atomGraph: g.atomGraph, graphCount: g.graphCount, positions: pos,
                           edgeSource: order.map { Int32(perm[Int(g.edgeSource[$0])]) },
                           edgeDestination: order.map { Int32(perm[Int(g.edgeDestination[$0])]) })
        let out = try runModel(m, pg)
        for spec in allOutputs {
            var expected = base[spec.name]!
            if spec.level == .atom {
                let k = spec.kind.components
                for old in 0..<g.atomCount { for j in 0..<k { expected.scalars[perm[old] * k + j] = base[spec.name]!.scalars[old * k + j] } }
            }
            XCTAssertLessThan(error(out[spec.name]!, expected), 1e-12, spec.name)
        }
        // a lone atom, and a graph whose atoms are out of each other's reach: only l = 0 features,
        // so the direct forces vanish (the quadrature integrates p exactly)
        let lone = AtomGraph(atomicNumbers: [8, 1, 6], atomGraph: [0, 1, 1], graphCount: 2,
                             positions: [.zero, SIMD3(9, 0, 0), SIMD3(-9, 0, 0)], edgeSource: [], edgeDestination: [])
        let o = try runModel(m, lone)
        for spec in allOutputs { XCTAssertTrue(o[spec.name]!.scalars.allSatisfy(\.isFinite), spec.name) }
        XCTAssertLessThan(o["force"]!.scalars.map(Swift.abs).max()!, 1e-15)
        XCTAssertLessThan(o["dipole"]!.scalars.map(Swift.abs).max()!, 1e-15)
        XCTAssertGreaterThan(o["energy"]!.scalars.map(Swift.abs).max()!, 1e-3)
    }

    /// eSCN's edge frames and complex SO(2) weights are not mirror-symmetric: a mirrored molecule
    /// gets another energy (the config says so: not inversion-equivariant).
    func testMirrorImagesDiffer() throws {
        var rng = SeededGenerator(seed: 90)
        let mols = RandomMolecules(rng: &rng, graphs: 2, atoms: 5...6, elements: [1, 6, 8])
        let config = escnConfig(lmax: 2, mmax: 2, latitudes: 20, longitudes: 40, samples: 800)
        XCTAssertFalse(config.architecture.isInversionEquivariant)
        let m = try model(config, outputs: [allOutputs[0]], seed: 90)
        let a = try runModel(m, mols.graph)["energy"]!, b = try runModel(m, mols.graph.transformed(by: .inversion))["energy"]!
        XCTAssertGreaterThan(error(a, b), 1e-6)
    }
}
