import XCTest
import SE3Math
import SE3Tensor
import SE3Layers

final class TensorProductTests: XCTestCase {
    private func reference(_ plan: TensorProductPlan, x: Tensor<Double>, src: [Int32]?, y: Tensor<Double>,
                           w: Tensor<Double>) -> Tensor<Double> {
        let E = y.shape[0]
        return TPReference.edges(plan, x: x.reshaped([x.shape[0], plan.inputDimension]), src: src, y: y,
                                 w: w.reshaped(plan.weightSharing == .shared ? [plan.weightsPerEdge] : [E, plan.weightsPerEdge]))
            .reshaped([E] + plan.outputRowShape)
    }

    private func scatter(_ t: Tensor<Double>, _ dst: [Int32], nodes: Int) -> Tensor<Double> {
        let inner = t.count / max(1, t.shape[0])
        var out = Tensor<Double>(zeros: [nodes] + Array(t.shape.dropFirst()))
        for (e, d) in dst.enumerated() { for j in 0..<inner { out.scalars[Int(d) * inner + j] += t.scalars[e * inner + j] } }
        return out
    }

    func testMatchesDenseReference() throws {
        var g = SeededGenerator(seed: 11)
        // channels 3: scalar kernel; channels 8, 16: register-blocked SIMD kernel
        for (li, lf, lo, sharing, C) in [(1, 1, 1, TensorProductPlan.WeightSharing.perEdge, 3), (2, 2, 2, .perEdge, 3),
                                         (3, 2, 3, .shared, 3), (0, 3, 3, .perEdge, 3), (3, 3, 1, .perEdge, 3),
                                         (2, 2, 2, .perEdge, 8), (3, 2, 3, .shared, 16)] {
            let plan = try TensorProductPlan(lmaxIn: li, lmaxFilter: lf, lmaxOut: lo, channels: C, weightSharing: sharing)
            let N = 5, E = 9
            let x = LT.randomFeatures(N, lmax: li, channels: C, &g)
            let (src, dst) = LT.randomEdges(E, nodes: N, &g)
            let y = LT.sh(LT.randomVectors(E, &g), lmax: lf)
            let w = Tensor<Double>.randomNormal(shape: sharing == .shared ? [plan.pathCount, C] : [E, plan.pathCount, C], using: &g)
            let ref = reference(plan, x: x, src: src, y: y, w: w)
            let tape = Tape<Double>()
            let edges = TensorProduct.edges(plan, input: tape.constant(x), sources: src, filter: tape.constant(y),
                                            weights: tape.constant(w))
            XCTAssertLessThan(LT.relDiff(edges.value, ref), 1e-13, "\(li) \(lf) \(lo)")
            let conv = TensorProduct.convolution(plan, input: tape.constant(x), sources: src, destinations: dst,
                                                 nodeCount: N, filter: tape.constant(y), weights: tape.constant(w), scale: 0.7)
            XCTAssertLessThan(LT.relDiff(conv.value, scatter(ref, dst, nodes: N) * 0.7), 1e-13)
            // without gather: x already on edges
            let d = plan.inputDimension
            let xe = Tensor<Double>(shape: [E, d / C, C], scalars: src.flatMap { s in x.scalars[(Int(s) * d)..<((Int(s) + 1) * d)] })
            let direct = TensorProduct.edges(plan, input: tape.constant(xe), sources: nil, filter: tape.constant(y),
                                             weights: tape.constant(w))
            XCTAssertLessThan(LT.relDiff(direct.value, ref), 1e-13)
        }
    }

    func testEquivarianceUnderRotationsAndInversion() throws {
        var g = SeededGenerator(seed: 12)
        let plan = try TensorProductPlan(lmaxIn: 3, lmaxFilter: 3, lmaxOut: 3, channels: 2)
        let N = 4, E = 7
        let x = LT.randomFeatures(N, lmax: 3, channels: 2, &g)
        let (src, dst) = LT.randomEdges(E, nodes: N, &g)
        let vecs = LT.randomVectors(E, &g)
        let w = Tensor<Double>.randomNormal(shape: [E, plan.pathCount, 2], using: &g)
        func run(_ x: Tensor<Double>, _ v: [SIMD3<Double>]) -> Tensor<Double> {
            let t = Tape<Double>()
            return TensorProduct.convolution(plan, input: t.constant(x), sources: src, destinations: dst, nodeCount: N,
                                             filter: t.constant(LT.sh(v, lmax: 3)), weights: t.constant(w), scale: 1).value
        }
        let base = run(x, vecs)
        // every output degree 0...3 must be non-trivial for the test to mean something
        for l in 0...3 {
            let block = (0..<N).flatMap { n in (l * l..<(l + 1) * (l + 1)).flatMap { i in (0..<2).map { base.scalars[(n * 16 + i) * 2 + $0] } } }
            XCTAssertGreaterThan(block.map { abs($0) }.max()!, 1e-3, "degree \(l) is zero")
        }
        for R in LT.rotations(seed: 13) {
            let rotated = run(LT.rotate(x, lmax: 3, R), vecs.map { R * $0 })
            XCTAssertLessThan(LT.relDiff(rotated, LT.rotate(base, lmax: 3, R)), 1e-12, "\(R)")
        }
        // inversion explicitly: degree l picks up (−1)^l
        let inverted = run(LT.rotate(x, lmax: 3, .inversion), vecs.map { -$0 })
        var expected = base
        for n in 0..<N { for l in 0...3 where l % 2 == 1 { for i in l * l..<(l + 1) * (l + 1) { for c in 0..<2 {
            expected.scalars[(n * 16 + i) * 2 + c] *= -1 } } } }
        XCTAssertLessThan(LT.relDiff(inverted, expected), 1e-12)
    }

    func testGradientsOfInputFilterAndWeights() throws {
        var g = SeededGenerator(seed: 14)
        for (sharing, C) in [(TensorProductPlan.WeightSharing.perEdge, 3), (.shared, 3), (.perEdge, 8), (.shared, 8)] {
            let plan = try TensorProductPlan(lmaxIn: 2, lmaxFilter: 2, lmaxOut: 2, channels: C, weightSharing: sharing)
            let N = 3, E = 5
            let x = LT.randomFeatures(N, lmax: 2, channels: C, &g)
            let (src, dst) = LT.randomEdges(E, nodes: N, &g)
            let y = LT.sh(LT.randomVectors(E, &g), lmax: 2)
            let w = Tensor<Double>.randomNormal(shape: sharing == .shared ? [plan.pathCount, C] : [E, plan.pathCount, C], using: &g)
            let probeConv = Tensor<Double>.randomNormal(shape: [N, 9, C], using: &g)
            let probeEdges = Tensor<Double>.randomNormal(shape: [E, 9, C], using: &g)
            let errConv = GradientCheck.check(inputs: [x, y, w]) { _, v in
                LT.probe(TensorProduct.convolution(plan, input: v[0], sources: src, destinations: dst, nodeCount: N,
                                                   filter: v[1], weights: v[2], scale: 0.8), probeConv)
            }
            XCTAssertLessThan(errConv, 1e-7)
            let errEdges = GradientCheck.check(inputs: [x, y, w]) { _, v in
                LT.probe(TensorProduct.edges(plan, input: v[0], sources: src, filter: v[1], weights: v[2]), probeEdges)
            }
            XCTAssertLessThan(errEdges, 1e-7)
        }
    }

    func testGradientWithOnlySomeInputsRequiringIt() throws {
        var g = SeededGenerator(seed: 15)
        for C in [2, 8] {
            let plan = try TensorProductPlan(lmaxIn: 1, lmaxFilter: 2, lmaxOut: 2, channels: C)
            let E = 4
            let x = LT.randomFeatures(E, lmax: 1, channels: C, &g)
            let y = LT.sh(LT.randomVectors(E, &g), lmax: 2)
            let w = Tensor<Double>.randomNormal(shape: [E, plan.pathCount, C], using: &g)
            let probe = Tensor<Double>.randomNormal(shape: [E, 9, C], using: &g)
            let full = Tape<Double>()
            let vx = full.variable(x), vy = full.variable(y), vw = full.variable(w)
            full.backward(LT.probe(TensorProduct.edges(plan, input: vx, sources: nil, filter: vy, weights: vw), probe))
            let partial = Tape<Double>()
            let px = partial.variable(x), pw = partial.variable(w)
            partial.backward(LT.probe(TensorProduct.edges(plan, input: px, sources: nil, filter: partial.constant(y), weights: pw), probe))
            XCTAssertLessThan(LT.relDiff(partial.gradient(px)!, full.gradient(vx)!), 1e-14)
            XCTAssertLessThan(LT.relDiff(partial.gradient(pw)!, full.gradient(vw)!), 1e-14)
            let onlyY = Tape<Double>()
            let oy = onlyY.variable(y)
            onlyY.backward(LT.probe(TensorProduct.edges(plan, input: onlyY.constant(x), sources: nil, filter: oy,
                                                        weights: onlyY.constant(w)), probe))
            XCTAssertLessThan(LT.relDiff(onlyY.gradient(oy)!, full.gradient(vy)!), 1e-14)
        }
    }

    /// With unit-variance inputs, weights and component-normalised SH of random directions,
    /// every output degree has unit variance (the α = 1/√n_lo normalisation).
    func testPathNormalisationGivesUnitVariance() throws {
        var g = SeededGenerator(seed: 16)
        let plan = try TensorProductPlan(lmaxIn: 2, lmaxFilter: 2, lmaxOut: 2, channels: 4)
        let E = 3000
        let x = LT.randomFeatures(E, lmax: 2, channels: 4, &g)
        let y = LT.sh(LT.randomVectors(E, &g), lmax: 2)
        let w = Tensor<Double>.randomNormal(shape: [E, plan.pathCount, 4], using: &g)
        let t = Tape<Double>()
        let out = TensorProduct.edges(plan, input: t.constant(x), sources: nil, filter: t.constant(y), weights: t.constant(w)).value
        for l in 0...2 {
            var s = 0.0, n = 0
            for e in 0..<E { for i in l * l..<(l + 1) * (l + 1) { for c in 0..<4 {
                let v = out.scalars[(e * 9 + i) * 4 + c]; s += v * v; n += 1 } } }
            XCTAssertEqual(s / Double(n), 1, accuracy: 0.08, "degree \(l)")
        }
    }

    func testThreadedKernelsMatchSingleThread() throws {
        var g = SeededGenerator(seed: 17)
        let saved = TensorProduct.threads
        defer { TensorProduct.threads = saved }
        for (sharing, C) in [(TensorProductPlan.WeightSharing.perEdge, 8), (.shared, 3)] {
            let plan = try TensorProductPlan(lmaxIn: 1, lmaxFilter: 1, lmaxOut: 1, channels: C, weightSharing: sharing)
            let N = 50, E = 5000
            let x = LT.randomFeatures(N, lmax: 1, channels: C, &g)
            let (src, dst) = LT.randomEdges(E, nodes: N, &g)
            let y = LT.sh(LT.randomVectors(E, &g), lmax: 1)
            let w = Tensor<Double>.randomNormal(shape: sharing == .shared ? [plan.pathCount, C] : [E, plan.pathCount, C], using: &g)
            let probe = Tensor<Double>.randomNormal(shape: [N, 4, C], using: &g)
            func run(_ threads: Int) -> [Tensor<Double>] {
                TensorProduct.threads = threads
                let t = Tape<Double>()
                let vx = t.variable(x), vy = t.variable(y), vw = t.variable(w)
                let out = TensorProduct.convolution(plan, input: vx, sources: src, destinations: dst, nodeCount: N,
                                                    filter: vy, weights: vw, scale: 0.5)
                t.backward(LT.probe(out, probe))
                let msgs = TensorProduct.edges(plan, input: vx, sources: src, filter: vy, weights: vw)
                return [out.value, msgs.value, t.gradient(vx)!, t.gradient(vy)!, t.gradient(vw)!]
            }
            let one = run(1), two = run(2)
            for (a, b) in zip(two, one) { XCTAssertLessThan(LT.relDiff(a, b), 1e-12) }
        }
    }
}
