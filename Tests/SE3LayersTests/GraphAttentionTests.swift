import XCTest
import SE3Math
import SE3Tensor
import SE3Layers

final class GraphAttentionTests: XCTestCase {
    let irreps = try! Irreps("4x0e+4x1o+8x2e")

    func testHeadsSplitTheChannelsOfEveryEntry() throws {
        let h = try GraphAttention.headOfComponent(irreps, heads: 2)
        XCTAssertEqual(h.count, irreps.dim)
        XCTAssertEqual(Array(h[0..<4]), [0, 0, 1, 1])                      // 4x0e
        XCTAssertEqual(Array(h[4..<8]), [0, 0, 1, 1])                      // 1o, m = −1
        XCTAssertEqual(Array(h[16..<24]), [0, 0, 0, 0, 1, 1, 1, 1])        // 2e, m = −2
        XCTAssertThrowsError(try GraphAttention.headOfComponent(irreps, heads: 3)) { XCTAssertTrue("\($0)".contains("divide")) }
    }

    /// Logits are invariant under rotations and the inversion of queries and keys (a per-degree
    /// inner product); softmax weights sum to 1 over each node's edges; the weighted sum of values
    /// is equivariant; gradients match central differences.
    func testInvarianceNormalisationEquivarianceAndGradients() throws {
        var g = SeededGenerator(seed: 101)
        let heads = 2, N = 4, E = 9
        let headOf = try GraphAttention.headOfComponent(irreps, heads: heads)
        let q = Tensor<Double>.randomNormal(shape: [N, irreps.dim], using: &g)
        let k = Tensor<Double>.randomNormal(shape: [E, irreps.dim], using: &g)
        let v = Tensor<Double>.randomNormal(shape: [E, irreps.dim], using: &g)
        var dst = LT.randomEdges(E, nodes: N - 1, &g).dst            // node N−1 has no incoming edge
        dst[0] = 0
        func run(_ q: Tensor<Double>, _ k: Tensor<Double>, _ v: Tensor<Double>) -> (Tensor<Double>, Tensor<Double>, Tensor<Double>) {
            let t = Tape<Double>()
            let l = GraphAttention.logits(queries: t.constant(q), keys: t.constant(k), destinations: dst, headOf: headOf,
                                          heads: heads, scale: 0.3)
            let a = segmentSoftmax(l, segments: dst, count: N)
            let z = GraphAttention.aggregate(weights: a, values: t.constant(v), destinations: dst, nodeCount: N,
                                             headOf: headOf, heads: heads)
            return (l.value, a.value, z.value)
        }
        let (l0, a0, z0) = run(q, k, v)
        // per edge and head: 0.3 · Σ over that head's channels of every degree
        var expected = 0.0
        for j in 0..<irreps.dim where headOf[j] == 1 { expected += q[Int(dst[2]), j] * k[2, j] }
        XCTAssertEqual(l0[2, 1], 0.3 * expected, accuracy: 1e-12)
        for n in 0..<N { for h in 0..<heads {
            let s = (0..<E).filter { dst[$0] == n }.reduce(0.0) { $0 + a0[$1, h] }
            XCTAssertEqual(s, (0..<E).contains { dst[$0] == n } ? 1 : 0, accuracy: 1e-12)
        } }
        XCTAssertEqual(Array(z0.scalars[((N - 1) * irreps.dim)...]), [Double](repeating: 0, count: irreps.dim), "no neighbours: zero")
        for R in LT.rotations(seed: 102) {
            let (l1, _, z1) = run(TPReference.rotate(q, irreps: irreps, R), TPReference.rotate(k, irreps: irreps, R),
                                  TPReference.rotate(v, irreps: irreps, R))
            XCTAssertLessThan(LT.relDiff(l1, l0), 1e-12)
            XCTAssertLessThan(LT.relDiff(z1, TPReference.rotate(z0, irreps: irreps, R)), 1e-12)
        }
        let probe = Tensor<Double>.randomNormal(shape: [N, irreps.dim], using: &g)
        let err = GradientCheck.check(inputs: [q, k, v]) { _, x in
            let l = GraphAttention.logits(queries: x[0], keys: x[1], destinations: dst, headOf: headOf, heads: heads, scale: 0.3)
            let a = segmentSoftmax(l, segments: dst, count: N)
            return LT.probe(GraphAttention.aggregate(weights: a, values: x[2], destinations: dst, nodeCount: N,
                                                     headOf: headOf, heads: heads), probe)
        }
        XCTAssertLessThan(err, 1e-8)
    }
}

final class LayerNormNonlinearityTests: XCTestCase {
    func testEquivarianceAndGradients() throws {
        var g = SeededGenerator(seed: 103)
        let store = ParameterStore<Double>()
        let f = try LayerNormNonlinearity(store: store, name: "norm", lmax: 3, channels: 5, rng: &g)
        XCTAssertEqual(store.parameters.map(\.name), ["norm.gain", "norm.shift"])
        for i in 0..<store.count { store.values[i] += 0.3 * g.nextGaussian() }
        let x = LT.randomFeatures(4, lmax: 3, channels: 5, &g)
        func run(_ x: Tensor<Double>) -> Tensor<Double> {
            f(SphericalFeatures(LT.tape(store).constant(x), lmax: 3, channels: 5)).variable.value
        }
        let base = run(x)
        XCTAssertGreaterThan(base.scalars.map(Swift.abs).max()!, 0.1)
        XCTAssertTrue(base.scalars.contains(0), "some channels are switched off by the ReLU")
        for R in LT.rotations(seed: 104) {
            XCTAssertLessThan(LT.relDiff(run(LT.rotate(x, lmax: 3, R)), LT.rotate(base, lmax: 3, R)), 1e-12)
        }
        let probe = LT.randomFeatures(4, lmax: 3, channels: 5, &g)
        XCTAssertLessThan(GradientCheck.checkParameters(store: store) { t in
            LT.probe(f(SphericalFeatures(t.constant(x), lmax: 3, channels: 5)).variable, probe)
        }, 1e-7)
        XCTAssertLessThan(LT.inputGradientError(x, store: store) { v in
            LT.probe(f(SphericalFeatures(v, lmax: 3, channels: 5)).variable, probe)
        }, 1e-7)
    }
}

final class AttentiveSelfInteractionTests: XCTestCase {
    func testEquivarianceAndGradients() throws {
        var g = SeededGenerator(seed: 105)
        let store = ParameterStore<Double>()
        let f = try AttentiveSelfInteraction(store: store, name: "asi", lmax: 2, channelsIn: 3, channelsOut: 2, hidden: 4, rng: &g)
        for i in 0..<store.count where store.values[i] == 0 { store.values[i] = 0.3 * g.nextGaussian() }
        let x = LT.randomFeatures(3, lmax: 2, channels: 3, &g)
        func run(_ x: Tensor<Double>) -> Tensor<Double> {
            f(SphericalFeatures(LT.tape(store).constant(x), lmax: 2, channels: 3)).variable.value
        }
        let base = run(x)
        XCTAssertEqual(base.shape, [3, 9, 2])
        XCTAssertGreaterThan(base.scalars.map(Swift.abs).max()!, 0.1)
        for R in LT.rotations(seed: 106) {
            XCTAssertLessThan(LT.relDiff(run(LT.rotate(x, lmax: 2, R)), LT.rotate(base, lmax: 2, R)), 1e-12)
        }
        let probe = LT.randomFeatures(3, lmax: 2, channels: 2, &g)
        XCTAssertLessThan(GradientCheck.checkParameters(store: store) { t in
            LT.probe(f(SphericalFeatures(t.constant(x), lmax: 2, channels: 3)).variable, probe)
        }, 1e-7)
        XCTAssertLessThan(LT.inputGradientError(x, store: store) { v in
            LT.probe(f(SphericalFeatures(v, lmax: 2, channels: 3)).variable, probe)
        }, 1e-7)
    }
}
