import SE3Math
import SE3Models
import SE3Tensor
import XCTest

/// Symmetries of the SE(3)-Transformer for every head kind, at lmax 1, 2 and 3 with more than one
/// head: rotations (both symmetries), the inversion (`symmetry: e3`), translations, permutations;
/// attention weights invariant and normalised; atoms without neighbours.
final class SE3TransformerSymmetryTests: XCTestCase {
    static let tolerance = 1e-9

    func expected(_ t: Tensor<Double>, _ spec: OutputSpec, _ r: Rotation) -> Tensor<Double> {
        switch spec.kind {
        case .scalar: return t
        case .vector: return rotateVectors(t, r)
        case .rank2: return rotateMatrices(t, r)
        }
    }

    func outputs(lmax: Int) -> [OutputSpec] { lmax >= 2 ? allOutputs : allOutputs.filter { $0.kind != .rank2 } }

    func model(_ config: ModelConfig, outputs: [OutputSpec], seed: UInt64) throws -> any GraphModel<Double> {
        let m = try ModelFactory.make(config: config, outputs: outputs, seed: seed, as: Double.self)
        perturbZeroParameters(m.store, seed: seed)
        return m
    }

    func attention(_ m: any GraphModel<Double>, _ g: AtomGraph) throws -> [Tensor<Double>] {
        let t = Tape<Double>(store: m.store)
        let model = try XCTUnwrap(m as? SE3Transformer<Double>)
        return try model.forwardWithAttention(g, geometry: GraphGeometry(g, tape: t), tape: t).attention.map(\.value)
    }

    func check(lmax: Int, symmetry: SE3TransformerConfig.Symmetry, heads: Int, layers: Int, seed: UInt64,
               nonlinearity: SE3TransformerConfig.Nonlinearity = .normSE3,
               selfInteraction: SE3TransformerConfig.SelfInteraction = .linear) throws {
        var rng = SeededGenerator(seed: seed)
        let mols = RandomMolecules(rng: &rng, graphs: 3, atoms: 2...6, elements: [1, 6, 8])
        let outs = outputs(lmax: lmax)
        let m = try model(se3tConfig(lmax: lmax, channels: 2 * heads, layers: layers, heads: heads, symmetry: symmetry,
                                     nonlinearity: nonlinearity, selfInteraction: selfInteraction), outputs: outs, seed: seed)
        let label = "lmax \(lmax), \(symmetry), \(heads) heads, \(layers) layers, \(nonlinearity), \(selfInteraction)"
        let base = try runModel(m, mols.graph)
        for spec in outs {
            XCTAssertGreaterThan(base[spec.name]!.scalars.map(Swift.abs).max()!, 1e-4, "\(spec.name) \(label)")
        }
        let baseAttention = try attention(m, mols.graph)
        XCTAssertEqual(baseAttention.count, layers)
        var transforms = [Rotation.random(using: &rng), Rotation.random(using: &rng)]
        if symmetry == .e3 { transforms += [.inversion, -Rotation.random(using: &rng)] }
        for r in transforms {
            let g = mols.graph.transformed(by: r)
            let out = try runModel(m, g)
            for spec in outs {
                XCTAssertLessThan(relativeError(out[spec.name]!, expected(base[spec.name]!, spec, r)), Self.tolerance,
                                  "\(spec.name) \(label), det \(r.determinant)")
            }
            for (a, b) in zip(try attention(m, g), baseAttention) { XCTAssertLessThan(relativeError(a, b), Self.tolerance, label) }
        }
        let moved = try runModel(m, mols.graph.translated(by: SIMD3(-4, 2.5, 9)))
        for spec in outs { XCTAssertLessThan(relativeError(moved[spec.name]!, base[spec.name]!), Self.tolerance, label) }
        // attention weights sum to one over each node's incoming edges, per head
        for alpha in baseAttention {
            XCTAssertEqual(alpha.shape, [mols.graph.edgeCount, heads])
            var sums = [Double](repeating: 0, count: mols.graph.atomCount * heads)
            for e in 0..<mols.graph.edgeCount { for h in 0..<heads { sums[Int(mols.graph.edgeDestination[e]) * heads + h] += alpha[e, h] } }
            for a in 0..<mols.graph.atomCount where mols.graph.edgeDestination.contains(Int32(a)) {
                for h in 0..<heads { XCTAssertEqual(sums[a * heads + h], 1, accuracy: 1e-12) }
            }
        }
    }

    func testE3SymmetryRotationsAndInversion() throws {
        try check(lmax: 1, symmetry: .e3, heads: 2, layers: 2, seed: 51)
        try check(lmax: 2, symmetry: .e3, heads: 2, layers: 1, seed: 52)
        try check(lmax: 3, symmetry: .e3, heads: 3, layers: 1, seed: 53)
        try check(lmax: 2, symmetry: .e3, heads: 1, layers: 1, seed: 54, nonlinearity: .normGate)
        try check(lmax: 2, symmetry: .e3, heads: 2, layers: 2, seed: 55, selfInteraction: .attentive)
    }

    func testSE3SymmetryRotations() throws {
        try check(lmax: 1, symmetry: .se3, heads: 2, layers: 2, seed: 61)
        try check(lmax: 2, symmetry: .se3, heads: 2, layers: 1, seed: 62)
        try check(lmax: 3, symmetry: .se3, heads: 2, layers: 1, seed: 63)
        try check(lmax: 1, symmetry: .se3, heads: 2, layers: 1, seed: 64, selfInteraction: .attentive)
    }

    /// With every SO(3) path the model is not inversion-invariant: a mirrored molecule gets
    /// another energy (what `symmetry: e3` exists for), while with `e3` it gets the same.
    func testSE3SymmetryDistinguishesMirrorImages() throws {
        var rng = SeededGenerator(seed: 64)
        let mols = RandomMolecules(rng: &rng, graphs: 2, atoms: 5...6, elements: [1, 6, 8])
        let energy = [allOutputs[0]]
        for (symmetry, differs) in [(SE3TransformerConfig.Symmetry.se3, true), (.e3, false)] {
            let m = try model(se3tConfig(lmax: 2, channels: 4, layers: 1, symmetry: symmetry), outputs: energy, seed: 65)
            let a = try runModel(m, mols.graph)["energy"]!, b = try runModel(m, mols.graph.transformed(by: .inversion))["energy"]!
            if differs { XCTAssertGreaterThan(a.maxAbsDifference(b), 1e-6) } else { XCTAssertLessThan(relativeError(a, b), 1e-10) }
        }
    }

    func testPermutationsIsolatedAtomsAndEmptyGraphs() throws {
        var rng = SeededGenerator(seed: 66)
        let mols = RandomMolecules(rng: &rng, graphs: 2, atoms: 3...5, elements: [1, 6, 8])
        let g = mols.graph
        let m = try model(se3tConfig(lmax: 2, layers: 2, symmetry: .se3), outputs: allOutputs, seed: 67)
        let base = try runModel(m, g)
        // reverse the atoms of each graph and shuffle the edges
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
            XCTAssertLessThan(relativeError(out[spec.name]!, expected), Self.tolerance, spec.name)
        }
        // one graph of a lone atom, one whose atoms are out of each other's reach
        let lone = AtomGraph(atomicNumbers: [8, 1, 6], atomGraph: [0, 1, 1], graphCount: 2,
                             positions: [.zero, SIMD3(9, 0, 0), SIMD3(-9, 0, 0)], edgeSource: [], edgeDestination: [])
        let o = try runModel(m, lone)
        for spec in allOutputs { XCTAssertTrue(o[spec.name]!.scalars.allSatisfy(\.isFinite), spec.name) }
        XCTAssertEqual(o["dipole"]!.scalars, [0, 0, 0, 0, 0, 0])
    }

    /// `readout: max` pools the invariant features before a scalar head's MLP; still invariant.
    func testMaxReadout() throws {
        var rng = SeededGenerator(seed: 68)
        let mols = RandomMolecules(rng: &rng, graphs: 3, atoms: 2...5, elements: [1, 6, 8])
        let m = try model(se3tConfig(lmax: 1, readout: .max), outputs: [allOutputs[1], allOutputs[2]], seed: 69)
        let base = try runModel(m, mols.graph)
        let r = Rotation.random(using: &rng)
        let out = try runModel(m, mols.graph.transformed(by: r))
        XCTAssertLessThan(relativeError(out["gap"]!, base["gap"]!), Self.tolerance)
        XCTAssertLessThan(relativeError(out["dipole"]!, rotateVectors(base["dipole"]!, r)), Self.tolerance)
    }
}
