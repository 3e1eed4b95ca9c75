import XCTest
import SE3Math
import SE3Tensor
import SE3Layers

/// The fused eSCN message op equals rotate → two SO(2) convolutions → S² activation → rotate back
/// as separate tape ops, values and every gradient (features, edge vectors through the frames,
/// edge embeddings, parameters), across chunk boundaries.
final class EdgeFrameMessagesTests: XCTestCase {
    func check(lmax L: Int, mmax: Int, chunk: Int, seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let C = 3, N = 4, E = 9, hidden = 4, Ce = 2
        let layout = EdgeFrameLayout(lmax: L, mmax: mmax)
        let store = ParameterStore<Double>()
        let source = try SO2Convolution(store: store, name: "s", layout: layout, channelsIn: C, channelsOut: C, hidden: hidden,
                                        edgeChannels: Ce, rng: &g)
        let target = try SO2Convolution(store: store, name: "t", layout: layout, channelsIn: C, channelsOut: C, hidden: hidden,
                                        edgeChannels: Ce, rng: &g)
        for i in 0..<store.count where store.values[i] == 0 { store.values[i] = 0.3 * g.nextGaussian() }
        let grid = try SphereGrid(coefficients: SphereGrid.edgeCoefficients(layout), latitudes: L + 2, longitudes: 2 * mmax + 2)
        let fused = EdgeFrameMessages(source: source, target: target, grid: grid, chunk: chunk)
        let (src, dst) = LT.randomEdges(E, nodes: N, &g)
        let v = LT.randomVectors(E - 1, &g) + [SIMD3(0, 0, -0.9)]
        let x = LT.randomFeatures(N, lmax: L, channels: C, &g)
        let h = Tensor<Double>.randomNormal(shape: [E, Ce], using: &g)
        let probe = LT.randomFeatures(N, lmax: L, channels: C, &g)
        func composed(_ x: Variable<Double>, _ vs: Variable<Double>, _ h: Variable<Double>) -> Variable<Double> {
            let d = EdgeFrames.rotations(vs, lmax: L)
            let y = source(EdgeFrames.rotate(x, rotations: d, rows: src, layout: layout), edge: h)
                + target(EdgeFrames.rotate(x, rotations: d, rows: dst, layout: layout), edge: h)
            return EdgeFrames.rotateBack(grid.activation(y), rotations: d, destinations: dst, nodeCount: N, layout: layout, scale: 0.6)
        }
        func fusedOp(_ x: Variable<Double>, _ vs: Variable<Double>, _ h: Variable<Double>) -> Variable<Double> {
            fused(x, rotations: EdgeFrames.rotations(vs, lmax: L), edge: h, sources: src, destinations: dst, scale: 0.6)
        }
        var results: [[Tensor<Double>]] = []
        for f in [composed, fusedOp] {
            store.zeroGrads()
            let tape = Tape<Double>(store: store)
            let vx = tape.variable(x), vv = tape.variable(LT.vectorTensor(v)), vh = tape.variable(h)
            let out = f(vx, vv, vh)
            tape.backward(LT.probe(out, probe))
            results.append([out.value, tape.gradient(vx)!, tape.gradient(vv)!, tape.gradient(vh)!,
                            Tensor(shape: [store.count], scalars: store.grads)])
        }
        let label = "lmax \(L), mmax \(mmax), chunk \(chunk)"
        XCTAssertGreaterThan(results[0][0].scalars.map(Swift.abs).max()!, 0.1, label)
        for (i, name) in ["value", "∂x", "∂vectors", "∂h", "∂parameters"].enumerated() {
            XCTAssertLessThan(LT.relDiff(results[1][i], results[0][i]), 1e-12, "\(name), \(label)")
        }
        // and against finite differences directly
        XCTAssertLessThan(GradientCheck.checkParameters(store: store) { t in
            LT.probe(fusedOp(t.constant(x), t.constant(LT.vectorTensor(v)), t.constant(h)), probe)
        }, 1e-7, label)
        XCTAssertLessThan(LT.inputGradientError(x, store: store) { vx in
            LT.probe(fusedOp(vx, vx.tape.constant(LT.vectorTensor(v)), vx.tape.constant(h)), probe)
        }, 1e-7, label)
    }

    /// A first-layer input (only `l = 0`): the shortcut that skips the `m > 0` orders gives the
    /// same messages and the same gradients (for `l = 0` features, edge vectors, embeddings, parameters).
    func testScalarInputShortcut() throws {
        var g = SeededGenerator(seed: 135)
        let L = 3, mmax = 2, C = 2, N = 5, E = 11
        let layout = EdgeFrameLayout(lmax: L, mmax: mmax)
        let store = ParameterStore<Double>()
        let convs = try ["s", "t"].map {
            try SO2Convolution(store: store, name: $0, layout: layout, channelsIn: C, channelsOut: C, hidden: 3, edgeChannels: 2, rng: &g)
        }
        for i in 0..<store.count where store.values[i] == 0 { store.values[i] = 0.3 * g.nextGaussian() }
        let grid = try SphereGrid(coefficients: SphereGrid.edgeCoefficients(layout), latitudes: 6, longitudes: 7)
        let op = EdgeFrameMessages(source: convs[0], target: convs[1], grid: grid, chunk: 4)
        let (src, dst) = LT.randomEdges(E, nodes: N, &g)
        let v = LT.vectorTensor(LT.randomVectors(E, &g))
        var x = Tensor<Double>(zeros: [N, (L + 1) * (L + 1), C])
        for a in 0..<N { for c in 0..<C { x[a, 0, c] = g.nextGaussian() } }
        let h = Tensor<Double>.randomNormal(shape: [E, 2], using: &g)
        let probe = LT.randomFeatures(N, lmax: L, channels: C, &g)
        var results: [[Tensor<Double>]] = []
        for scalar in [false, true] {
            store.zeroGrads()
            let tape = Tape<Double>(store: store)
            let vx = tape.variable(x), vv = tape.variable(v), vh = tape.variable(h)
            let out = op(vx, rotations: EdgeFrames.rotations(vv, lmax: L), edge: vh, sources: src, destinations: dst, scale: 0.7,
                         scalarInput: scalar)
            tape.backward(LT.probe(out, probe))
            var gx = tape.gradient(vx)!
            for a in 0..<N { for r in 1..<((L + 1) * (L + 1)) { for c in 0..<C { gx[a, r, c] = 0 } } }
            results.append([out.value, gx, tape.gradient(vv)!, tape.gradient(vh)!, Tensor(shape: [store.count], scalars: store.grads)])
        }
        XCTAssertGreaterThan(results[0][0].scalars.map(Swift.abs).max()!, 0.1)
        for i in 0..<5 { XCTAssertLessThan(LT.relDiff(results[1][i], results[0][i]), 1e-12, "\(i)") }
    }

    func testFusedEqualsComposition() throws {
        try check(lmax: 2, mmax: 2, chunk: 4, seed: 131)
        try check(lmax: 3, mmax: 1, chunk: 9, seed: 132)
        try check(lmax: 4, mmax: 2, chunk: 2, seed: 133)
        try check(lmax: 2, mmax: 0, chunk: 5, seed: 134)
    }
}
