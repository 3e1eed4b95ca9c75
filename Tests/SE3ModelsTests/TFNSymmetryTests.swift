import SE3Math
import SE3Models
import SE3Tensor
import XCTest

/// E(3) symmetries of the whole model for every head kind: rotations (scalars invariant, vectors
/// `R v`, rank 2 `R T Rᵀ`), inversion (scalars and 0e+2e invariant, 1o vectors flip),
/// translations and permutations of atoms and edges.
final class TFNSymmetryTests: XCTestCase {
    static let tolerance = 1e-9

    /// The expected transformed output of `spec` for a proper or improper `r`.
    func transformed(_ t: Tensor<Double>, _ spec: OutputSpec, _ r: Rotation) -> Tensor<Double> {
        switch spec.kind {
        case .scalar: return t
        case .vector: return rotateVectors(t, r)       // 1o: an improper R = −R' flips as R v
        case .rank2: return rotateMatrices(t, r)       // R T Rᵀ is invariant under R → −R
        }
    }

    func checkSymmetries(lmax: Int, nonlinearity: TFNConfig.Nonlinearity, seed: UInt64, layers: Int = 2, channels: Int = 4) throws {
        var rng = SeededGenerator(seed: seed)
        let mols = RandomMolecules(rng: &rng, graphs: 3, atoms: 2...6, elements: [1, 6, 8])
        // rank-2 heads need lmax >= 2
        let outputs = lmax >= 2 ? allOutputs : allOutputs.filter { $0.kind != .rank2 }
        let model = try ModelFactory.make(config: smallConfig(lmax: lmax, nonlinearity: nonlinearity, channels: channels, layers: layers),
                                          outputs: outputs, seed: seed, as: Double.self)
        let base = try runModel(model, mols.graph)
        let label = "lmax \(lmax), \(nonlinearity), \(layers) layers, \(channels) channels"
        for spec in outputs {
            let rows = spec.level == .graph ? mols.graph.graphCount : mols.graph.atomCount
            XCTAssertEqual(base[spec.name]?.shape, [rows, spec.kind.components], "\(spec.name) \(label)")
            // not trivially zero: otherwise the symmetry checks could not fail
            XCTAssertGreaterThan(base[spec.name]!.scalars.map(Swift.abs).max()!, 1e-3, "\(spec.name) \(label)")
        }
        var transforms = [Rotation.random(using: &rng), Rotation.random(using: &rng), Rotation.inversion]
        transforms.append(-transforms[0])                  // rotation combined with inversion
        for r in transforms {
            let out = try runModel(model, mols.graph.transformed(by: r))
            for spec in outputs {
                let expected = transformed(base[spec.name]!, spec, r)
                let err = relativeError(out[spec.name]!, expected)
                XCTAssertLessThan(err, Self.tolerance, "\(spec.name) (\(spec.level), \(spec.kind)) \(label), det \(r.determinant)")
            }
        }
        // translations change nothing
        let moved = try runModel(model, mols.graph.translated(by: SIMD3(3.5, -7.25, 11)))
        for spec in outputs {
            XCTAssertLessThan(relativeError(moved[spec.name]!, base[spec.name]!), Self.tolerance, "\(spec.name) translated, \(label)")
        }
        // inversion really flips vectors (guards against a trivially symmetric test)
        let inv = try runModel(model, mols.graph.transformed(by: Rotation.inversion))
        XCTAssertGreaterThan(inv["force"]!.maxAbsDifference(base["force"]!), 1e-3, label)
    }

    func testRotationAndInversionLmax1() throws {
        try checkSymmetries(lmax: 1, nonlinearity: .norm, seed: 11)
        try checkSymmetries(lmax: 1, nonlinearity: .gate, seed: 12)
    }

    func testRotationAndInversionLmax2() throws {
        try checkSymmetries(lmax: 2, nonlinearity: .norm, seed: 21)
        try checkSymmetries(lmax: 2, nonlinearity: .gate, seed: 22)
    }

    func testRotationAndInversionLmax3() throws {
        try checkSymmetries(lmax: 3, nonlinearity: .norm, seed: 31)
        try checkSymmetries(lmax: 3, nonlinearity: .gate, seed: 32)
    }

    /// Channel counts that are multiples of 8 take the SIMD-blocked tensor-product kernels.
    func testBlockedChannelCounts() throws {
        try checkSymmetries(lmax: 2, nonlinearity: .norm, seed: 41, channels: 8)
        try checkSymmetries(lmax: 3, nonlinearity: .gate, seed: 42, channels: 16)
    }

    func testThreeLayers() throws {
        try checkSymmetries(lmax: 1, nonlinearity: .gate, seed: 13, layers: 3)
        try checkSymmetries(lmax: 2, nonlinearity: .norm, seed: 23, layers: 3)
    }

    /// Relabelling atoms (within each graph, keeping `atomGraph` sorted) and shuffling edges
    /// permutes per-atom outputs and leaves graph outputs unchanged.
    func testPermutationOfAtomsAndEdges() throws {
        for (lmax, nl) in [(2, TFNConfig.Nonlinearity.norm), (3, .gate)] {
            var rng = SeededGenerator(seed: 77 + UInt64(lmax))
            let mols = RandomMolecules(rng: &rng, graphs: 3, atoms: 3...6, elements: [1, 6, 8])
            let g = mols.graph
            let model = try ModelFactory.make(config: smallConfig(lmax: lmax, nonlinearity: nl),
                                              outputs: allOutputs, seed: 3, as: Double.self)
            let base = try runModel(model, g)

            // perm[old] = new, a shuffle inside each graph's contiguous block
            var perm = [Int](repeating: 0, count: g.atomCount)
            var start = 0
            while start < g.atomCount {
                var end = start
                while end < g.atomCount && g.atomGraph[end] == g.atomGraph[start] { end += 1 }
                let shuffled = Array(start..<end).shuffled(using: &rng)
                for (k, old) in (start..<end).enumerated() { perm[old] = shuffled[k] }
                start = end
            }
            var z = g.atomicNumbers, owner = g.atomGraph, pos = g.positions
            for old in 0..<g.atomCount {
                z[perm[old]] = g.atomicNumbers[old]; owner[perm[old]] = g.atomGraph[old]; pos[perm[old]] = g.positions[old]
            }
            let order = Array(0..<g.edgeCount).shuffled(using: &rng)
            let pg = AtomGraph(atomicNumbers: z, atomGraph: owner, graphCount: g.graphCount, positions: pos,
                               edgeSource: order.map { Int32(perm[Int(g.edgeSource[$0])]) },
                               edgeDestination: order.map { Int32(perm[Int(g.edgeDestination[$0])]) })
            XCTAssertEqual(pg.edgeVectors, order.map { g.edgeVectors[$0] })
            XCTAssertNotEqual(pg, g)
            let out = try runModel(model, pg)
            for spec in allOutputs {
                var expected = base[spec.name]!
                if spec.level == .atom {
                    let k = spec.kind.components
                    for old in 0..<g.atomCount {
                        for j in 0..<k { expected.scalars[perm[old] * k + j] = base[spec.name]!.scalars[old * k + j] }
                    }
                }
                XCTAssertLessThan(relativeError(out[spec.name]!, expected), Self.tolerance, "\(spec.name) lmax \(lmax)")
            }
        }
    }

    /// A graph with an isolated atom (no edges) and a graph with none at all still work.
    func testIsolatedAtomsAndEmptyEdgeList() throws {
        let model = try ModelFactory.make(config: smallConfig(lmax: 2, nonlinearity: .norm),
                                          outputs: allOutputs, seed: 9, as: Double.self)
        let lone = AtomGraph(atomicNumbers: [8], atomGraph: [0], graphCount: 1, positions: [SIMD3(0.5, -1, 2)],
                             edgeSource: [], edgeDestination: [])
        let out = try runModel(model, lone)
        for spec in allOutputs {
            XCTAssertEqual(out[spec.name]?.shape, [1, spec.kind.components])
            XCTAssertTrue(out[spec.name]!.scalars.allSatisfy(\.isFinite))
        }
        // no directions: the vector and the traceless part vanish
        XCTAssertEqual(out["dipole"]!.scalars, [0, 0, 0])
        let t = out["polarizability"]!.scalars
        XCTAssertEqual(t[0], t[4], accuracy: 1e-12); XCTAssertEqual(t[4], t[8], accuracy: 1e-12)
        XCTAssertEqual(t[1], 0, accuracy: 1e-12)
    }
}
