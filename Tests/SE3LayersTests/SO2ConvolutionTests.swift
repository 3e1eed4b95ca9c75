import XCTest
import SE3Math
import SE3Tensor
import SE3Layers

/// eSCN's SO(2) convolution (seed eq. 15–16): the identity with the full Clebsch–Gordan product,
/// rolls about the edge axis, gradients (also through the frames at the poles).
final class SO2ConvolutionTests: XCTestCase {
    /// The `SO2Convolution` layer itself, with its parameters set from the full CG product's weights
    /// (shared by the edges) through eq. 16, equals that product at lmax 2 and 3 (`mmax = lmax`);
    /// with `mmax = 1` it equals the product with the frame's `|m| > 1` components removed. The
    /// product has every path: those with `l1 + lf + lo` even (natural-parity output, only the
    /// `x_{±m} → y_{±m}` terms) plus those with it odd (into the other parity, only the
    /// `x_{∓m} → y_{±m}` terms: the imaginary part of eq. 16).
    func testSO2LayerEqualsTheFullTensorProductWithMappedWeights() throws {
        for (L, mmax) in [(2, 2), (3, 3), (3, 1)] {
            var g = SeededGenerator(seed: 120 + UInt64(L + mmax))
            let C = 2, E = 5
            let input = Irreps.uniform(channels: C, lmax: L), filter = Irreps.spherical(lmax: L)
            let flipped = Irreps((0...L).map { MulIrrep(C, Irrep($0, .natural($0 + 1))) })
            let plans = try [Irreps.uniform(channels: C, lmax: L), flipped].map { out in
                try TensorProductPlan(irrepsIn: input, irrepsFilter: filter, irrepsOut: out,
                                      instructions: TensorProductPlan.allowedInstructions(irrepsIn: input, irrepsFilter: filter,
                                                                                          irrepsOut: out, mode: .uvu))
            }
            let v = LT.randomVectors(E, &g) + [SIMD3(0, 0, 1.1)]
            let x = LT.randomFeatures(E + 1, lmax: L, channels: C, &g)
            let shared = plans.map { Tensor<Double>.randomNormal(shape: [$0.pathCount, C], using: &g) }
            let tape = Tape<Double>()
            let parts = zip(plans, shared).map { plan, sw in
                var w = Tensor<Double>(zeros: [E + 1, plan.pathCount, C])
                for e in 0...E { for i in 0..<sw.count { w.scalars[e * sw.count + i] = sw.scalars[i] } }
                return TensorProduct.edges(plan, input: tape.constant(x), sources: nil, filter: tape.constant(LT.sh(v, lmax: L)),
                                           weights: tape.constant(w))
            }
            let product = parts[0] + parts[1]
            XCTAssertGreaterThan(parts[1].value.scalars.map(Swift.abs).max()!, 0.1, "odd paths present")
            // per order: y_{+m} = A x_{+m} + B x_{−m} per channel (A[c][lo − m][li − m])
            func maps(_ m: Int) -> (a: [[[Double]]], b: [[[Double]]]) {
                let n = L - m + 1
                var a = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: n), count: n), count: C), b = a
                for (plan, sw) in zip(plans, shared) { for (p, path) in plan.paths.enumerated() where path.l1 >= m && path.lo >= m {
                    let block = ClebschGordan.block(l1: path.l1, l2: path.lf, l3: path.lo)
                    let yf = Double(2 * path.lf + 1).squareRoot()        // Y^{lf}(+z) = √(2lf+1) δ_{m0}
                    for c in 0..<C {
                        let s = path.alpha * sw[p, c] * yf
                        a[c][path.lo - m][path.l1 - m] += s * block[m, 0, m]
                        if m > 0 { b[c][path.lo - m][path.l1 - m] += s * block[-m, 0, m] }
                    }
                } }
                return (a, b)
            }
            let store = ParameterStore<Double>()
            let layout = EdgeFrameLayout(lmax: L, mmax: mmax)
            let hidden = (L + 1) * C
            let conv = try SO2Convolution(store: store, name: "so2", layout: layout, channelsIn: C, channelsOut: C, hidden: hidden,
                                          edgeChannels: 1, rng: &g)
            let c0 = ActivationNormalization.silu * 1 / (1 + Foundation.exp(-1.0))     // every edge gate: k·SiLU(0·h + 1)
            func set(_ name: String, _ f: (Int, Int) -> Double) {
                let p = store.parameter(named: name)!
                var t = Tensor<Double>(zeros: p.shape)
                for i in 0..<p.shape[0] { for j in 0..<p.shape[1] { t[i, j] = f(i, j) } }
                store.setValue(t, for: p)
            }
            for m in 0...mmax {
                let n = L - m + 1, (a, b) = maps(m), pre = "so2.m\(m)"
                set("\(pre).edge.w") { _, _ in 0 }
                store.setValue(Tensor(repeating: 1, shape: [m == 0 ? hidden : 2 * hidden]), for: store.parameter(named: "\(pre).edge.b")!)
                let identity: (Int, Int) -> Double = { i, j in i == j ? Double(n * C).squareRoot() : 0 }
                func second(_ mat: [[[Double]]], _ sign: Double) -> (Int, Int) -> Double {
                    { i, j in
                        guard i < n * C, i % C == j % C else { return 0 }
                        return sign * mat[i % C][j / C][i / C] * Double(hidden).squareRoot() / c0
                    }
                }
                if m == 0 {
                    set("\(pre).w1", identity); set("\(pre).w2", second(a, 1))
                } else {                                   // P = A, Q = −B (eq. 16)
                    let sa = second(a, 1), sb = second(b, -1)
                    set("\(pre).w1") { i, j in identity(i, j % hidden) }
                    set("\(pre).w2") { i, j in i < hidden ? sa(i, j) : sb(i - hidden, j) }
                }
            }
            let d = EdgeFrames.rotations(tape.constant(LT.vectorTensor(v)), lmax: L)
            let rows = (0...E).map(Int32.init)
            let t2 = Tape<Double>(store: store)
            let h = t2.constant(Tensor(zeros: [E + 1, 1]))
            let y = conv(EdgeFrames.rotate(t2.constant(x), rotations: t2.constant(d.value), rows: rows, layout: layout), edge: h)
            let got = EdgeFrames.rotateBack(y, rotations: t2.constant(d.value), destinations: rows, nodeCount: E + 1, layout: layout,
                                            scale: 1).value
            // the product, with the frame components |m| > mmax removed
            let full = EdgeFrameLayout(lmax: L, mmax: L)
            var framed = EdgeFrames.rotate(product, rotations: d, rows: rows, layout: full).value
            for e in 0...E { for r in 0..<full.count where abs(full.order[r]) > mmax { for c in 0..<C { framed[e, r, c] = 0 } } }
            let expected = EdgeFrames.rotateBack(tape.constant(framed), rotations: d, destinations: rows, nodeCount: E + 1, layout: full,
                                                 scale: 1).value
            XCTAssertLessThan(LT.relDiff(got, expected), 1e-12, "lmax \(L), mmax \(mmax)")
            if mmax < L { XCTAssertGreaterThan(LT.relDiff(got, product.value), 1e-3, "the dropped orders matter") }
            else { XCTAssertLessThan(LT.relDiff(got, product.value), 1e-12, "lmax \(L)") }
        }
    }

    /// The SO(2) convolution commutes with rotations about the edge axis; gradients match finite
    /// differences.
    func testSO2ConvolutionRollEquivarianceAndGradients() throws {
        var g = SeededGenerator(seed: 116)
        let store = ParameterStore<Double>()
        let layout = EdgeFrameLayout(lmax: 3, mmax: 2)
        let conv = try SO2Convolution(store: store, name: "so2", layout: layout, channelsIn: 3, channelsOut: 2, hidden: 4,
                                      edgeChannels: 5, rng: &g)
        for i in 0..<store.count where store.values[i] == 0 { store.values[i] = 0.3 * g.nextGaussian() }
        let E = 3
        let x = Tensor<Double>.randomNormal(shape: [E, layout.count, 3], using: &g)
        let h = Tensor<Double>.randomNormal(shape: [E, 5], using: &g)
        func roll(_ t: Tensor<Double>, _ alpha: Double) -> Tensor<Double> {
            var out = t
            let C = t.shape[2]
            for e in 0..<t.shape[0] { for m in 1...layout.mmax {
                let cp = Foundation.cos(Double(m) * alpha), sp = Foundation.sin(Double(m) * alpha)
                for (rp, rm) in zip(layout.rows(m: m), layout.rows(m: -m)) { for c in 0..<C {
                    let a = t[e, rp, c], b = t[e, rm, c]
                    out[e, rp, c] = cp * a - sp * b
                    out[e, rm, c] = sp * a + cp * b
                } }
            } }
            return out
        }
        let tape = Tape<Double>(store: store)
        let y = conv(tape.constant(x), edge: tape.constant(h)).value
        XCTAssertEqual(y.shape, [E, layout.count, 2])
        let yr = conv(tape.constant(roll(x, 0.77)), edge: tape.constant(h)).value
        XCTAssertLessThan(LT.relDiff(yr, roll(y, 0.77)), 1e-12)
        let probe = Tensor<Double>.randomNormal(shape: [E, layout.count, 2], using: &g)
        XCTAssertLessThan(GradientCheck.checkParameters(store: store) { t in LT.probe(conv(t.constant(x), edge: t.constant(h)), probe) }, 1e-7)
        XCTAssertLessThan(LT.inputGradientError(x, store: store) { v in LT.probe(conv(v, edge: v.tape.constant(h)), probe) }, 1e-7)
        XCTAssertLessThan(LT.inputGradientError(h, store: store) { v in LT.probe(conv(v.tape.constant(x), edge: v), probe) }, 1e-7)
    }

    /// Through rotate → SO(2) convolution → rotate back (a map that does not depend on the roll),
    /// gradients with respect to the edge vectors match finite differences, also for edges on the
    /// polar axis, where the roll of the frame jumps.
    func testRollFreeGradientsAtThePoles() throws {
        var g = SeededGenerator(seed: 118)
        let store = ParameterStore<Double>()
        let L = 3, C = 2, N = 3
        let layout = EdgeFrameLayout(lmax: L, mmax: 2)
        let conv = try SO2Convolution(store: store, name: "so2", layout: layout, channelsIn: C, channelsOut: C, hidden: 3,
                                      edgeChannels: 2, rng: &g)
        for i in 0..<store.count where store.values[i] == 0 { store.values[i] = 0.3 * g.nextGaussian() }
        let v = [SIMD3(0, 0, 1.3), SIMD3(0, 0, -0.8)] + LT.randomVectors(2, &g)
        let E = v.count
        let src: [Int32] = [0, 1, 2, 0], dst: [Int32] = [1, 2, 0, 2]
        let x = LT.randomFeatures(N, lmax: L, channels: C, &g)
        let h = Tensor<Double>.randomNormal(shape: [E, 2], using: &g)
        let probe = LT.randomFeatures(N, lmax: L, channels: C, &g)
        func f(_ vs: Variable<Double>) -> Variable<Double> {
            let t = vs.tape, d = EdgeFrames.rotations(vs, lmax: L)
            let y = conv(EdgeFrames.rotate(t.constant(x), rotations: d, rows: src, layout: layout), edge: t.constant(h))
            return LT.probe(EdgeFrames.rotateBack(y, rotations: d, destinations: dst, nodeCount: N, layout: layout, scale: 1), probe)
        }
        XCTAssertLessThan(LT.inputGradientError(LT.vectorTensor(v), store: store, f), 1e-7)
        let tape = Tape<Double>(store: store)
        let vs = tape.variable(LT.vectorTensor(v))
        tape.backward(f(vs))
        let gv = tape.gradient(vs)!
        XCTAssertGreaterThan(abs(gv[0, 0]) + abs(gv[0, 1]) + abs(gv[1, 0]) + abs(gv[1, 1]), 1e-3, "tilting a polar edge matters")
    }
}
