import XCTest
import SE3Math
import SE3Tensor
import SE3Layers

/// Irreps-driven plans: per-entry multiplicities, channel-wise (`uvu`) and channel-mixing (`uvw`)
/// paths, shared or per-edge weights, weight rows shared between edges.
final class TensorProductIrrepsTests: XCTestCase {
    static let filter = Irreps.spherical(lmax: 2)

    /// A `uvw` product with mixed multiplicities (the SE(3)-Transformer's kind of kernel).
    func mixingPlan(_ sharing: TensorProductPlan.WeightSharing = .perEdge, mulIn: Int = 3, mulOut: Int = 2) throws -> TensorProductPlan {
        let a = try Irreps("\(mulIn)x0e+2x1o+2x2e"), c = try Irreps("\(mulOut)x0e+3x1o+1x2e")
        return try TensorProductPlan(irrepsIn: a, irrepsFilter: Self.filter, irrepsOut: c,
                                     instructions: TensorProductPlan.allowedInstructions(irrepsIn: a, irrepsFilter: Self.filter,
                                                                                         irrepsOut: c, mode: .uvw),
                                     weightSharing: sharing)
    }

    /// `uvu` and `uvw` paths in one plan, a second `1o` output entry and a path weight ≠ 1.
    func mixedModePlan(mul: Int) throws -> TensorProductPlan {
        let a = try Irreps("\(mul)x0e+\(mul)x1o+2x2e"), c = try Irreps("\(mul)x0e+\(mul)x1o+3x2e+1x1o")
        typealias I = TensorProductPlan.Instruction
        let instructions = [I(input: 0, filter: 0, output: 0, mode: .uvu), I(input: 1, filter: 1, output: 0, mode: .uvu),
                            I(input: 2, filter: 2, output: 0, mode: .uvw, pathWeight: 0.5),
                            I(input: 0, filter: 1, output: 1, mode: .uvu), I(input: 2, filter: 1, output: 1, mode: .uvw),
                            I(input: 1, filter: 1, output: 2, mode: .uvw), I(input: 2, filter: 0, output: 2, mode: .uvw),
                            I(input: 1, filter: 2, output: 3, mode: .uvw), I(input: 2, filter: 1, output: 3, mode: .uvw)]
        return try TensorProductPlan(irrepsIn: a, irrepsFilter: Self.filter, irrepsOut: c, instructions: instructions)
    }

    func weights(_ plan: TensorProductPlan, rows: Int, _ g: inout SeededGenerator) -> Tensor<Double> {
        Tensor.randomNormal(shape: plan.weightSharing == .shared ? [plan.weightsPerEdge] : [rows, plan.weightsPerEdge], using: &g)
    }

    func testPathsWeightsAndNormalisation() throws {
        let p = try mixingPlan()
        // 3x0e+2x1o+2x2e ⊗ (0e+1o+2e) → 2x0e+3x1o+1x2e: 11 allowed (l1, lf, lo) paths
        XCTAssertEqual(p.pathCount, 11)
        XCTAssertEqual(p.weightsPerEdge, p.paths.reduce(0) { $0 + $1.inputChannels * $1.outputChannels })
        XCTAssertEqual(p.paths.map(\.weightOffset), p.paths.indices.map { i in p.paths[..<i].reduce(0) { $0 + $1.weightCount } })
        // α = √(1 / Σ mul_in over the paths into the same output entry)
        for path in p.paths {
            let x = p.paths.filter { $0.instruction.output == path.instruction.output }.reduce(0) { $0 + $1.inputChannels }
            XCTAssertEqual(path.alpha, (1 / Double(x)).squareRoot(), accuracy: 1e-15)
        }
        XCTAssertEqual(p.outputRowShape, [p.irrepsOut.dim])
        XCTAssertEqual(p.unreachedOutputs, [])
        let m = try mixedModePlan(mul: 3)
        XCTAssertEqual(m.paths[2].alpha, (0.5 / 4).squareRoot(), accuracy: 1e-15)   // into 3x0e: 1 + 1 + 2·(uvw mul 2), weight 0.5
        XCTAssertEqual(m.paths[0].alpha, (1 / 4.0).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(m.paths[0].weightCount, 3)
        XCTAssertEqual(m.paths[2].weightCount, 2 * 3)
        XCTAssertGreaterThan(m.nominalForwardFlopsPerEdge, 0)
    }

    func testInvalidInstructionsThrow() throws {
        let a = try Irreps("2x0e+2x1o"), c = try Irreps("2x0e+3x1o")
        typealias I = TensorProductPlan.Instruction
        func plan(_ i: I, filter: Irreps = Self.filter) throws -> TensorProductPlan {
            try TensorProductPlan(irrepsIn: a, irrepsFilter: filter, irrepsOut: c, instructions: [i])
        }
        XCTAssertThrowsError(try plan(I(input: 1, filter: 1, output: 1, mode: .uvw))) { XCTAssertTrue("\($0)".contains("parity")) }
        XCTAssertThrowsError(try plan(I(input: 0, filter: 2, output: 1, mode: .uvw))) { XCTAssertTrue("\($0)".contains("triangle")) }
        XCTAssertThrowsError(try plan(I(input: 1, filter: 0, output: 1, mode: .uvu))) { XCTAssertTrue("\($0)".contains("uvu")) }
        XCTAssertThrowsError(try plan(I(input: 2, filter: 0, output: 0, mode: .uvw))) { XCTAssertTrue("\($0)".contains("input entry")) }
        XCTAssertThrowsError(try plan(I(input: 0, filter: 0, output: 0, mode: .uvw), filter: try Irreps("2x0e"))) {
            XCTAssertTrue("\($0)".contains("multiplicity 1"))
        }
        XCTAssertNoThrow(try plan(I(input: 0, filter: 0, output: 0, mode: .uvu)))
    }

    /// Kernels (edges, convolution, weight rows, shared weights) against the dense reference, with
    /// channel counts below, at and above the SIMD block of 8.
    func testMatchesDenseReference() throws {
        var g = SeededGenerator(seed: 81)
        let plans = [try mixingPlan(), try mixingPlan(.shared), try mixingPlan(mulIn: 9, mulOut: 16),
                     try mixingPlan(mulIn: 8, mulOut: 11), try mixedModePlan(mul: 3), try mixedModePlan(mul: 8)]
        for plan in plans {
            let N = 5, E = 9
            let x = Tensor<Double>.randomNormal(shape: [N, plan.inputDimension], using: &g)
            let (src, dst) = LT.randomEdges(E, nodes: N, &g)
            let y = LT.sh(LT.randomVectors(E, &g), lmax: 2)
            let w = weights(plan, rows: E, &g)
            let label = "\(plan.irrepsIn) → \(plan.irrepsOut), \(plan.weightSharing)"
            let ref = TPReference.edges(plan, x: x, src: src, y: y, w: w)
            XCTAssertGreaterThan(ref.scalars.map(Swift.abs).max()!, 1e-3)
            let tape = Tape<Double>()
            let edges = TensorProduct.edges(plan, input: tape.constant(x), sources: src, filter: tape.constant(y), weights: tape.constant(w))
            XCTAssertLessThan(LT.relDiff(edges.value, ref), 1e-13, label)
            var summed = Tensor<Double>(zeros: [N, plan.outputDimension])
            for e in 0..<E { for j in 0..<plan.outputDimension { summed.scalars[Int(dst[e]) * plan.outputDimension + j] += 0.6 * ref.scalars[e * plan.outputDimension + j] } }
            let conv = TensorProduct.convolution(plan, input: tape.constant(x), sources: src, destinations: dst, nodeCount: N,
                                                 filter: tape.constant(y), weights: tape.constant(w), scale: 0.6)
            XCTAssertLessThan(LT.relDiff(conv.value, summed), 1e-13, label)
            if plan.weightSharing == .perEdge {
                let rows: [Int32] = (0..<E).map { Int32($0 % 4) }
                let w4 = weights(plan, rows: 4, &g)
                let shared = TensorProduct.edges(plan, input: tape.constant(x), sources: src, filter: tape.constant(y),
                                                 weights: tape.constant(w4), weightRows: rows)
                XCTAssertLessThan(LT.relDiff(shared.value, TPReference.edges(plan, x: x, src: src, y: y, w: w4, rows: rows)), 1e-13, label)
            }
        }
    }

    /// D(R) on inputs and filter directions gives D(R) on every output entry (rotations and inversion).
    func testEquivarianceOfEveryOutputEntry() throws {
        var g = SeededGenerator(seed: 82)
        for plan in [try mixingPlan(), try mixedModePlan(mul: 3)] {
            let N = 4, E = 8
            let x = Tensor<Double>.randomNormal(shape: [N, plan.inputDimension], using: &g)
            let (src, dst) = LT.randomEdges(E, nodes: N, &g)
            let v = LT.randomVectors(E, &g)
            let w = weights(plan, rows: E, &g)
            func run(_ x: Tensor<Double>, _ v: [SIMD3<Double>]) -> Tensor<Double> {
                let t = Tape<Double>()
                return TensorProduct.convolution(plan, input: t.constant(x), sources: src, destinations: dst, nodeCount: N,
                                                 filter: t.constant(LT.sh(v, lmax: 2)), weights: t.constant(w), scale: 1).value
            }
            let base = run(x, v)
            let offsets = plan.irrepsOut.offsets
            for (k, entry) in plan.irrepsOut.enumerated() {
                let values = (0..<N).flatMap { n in (offsets[k]..<offsets[k] + entry.dim).map { base.scalars[n * plan.outputDimension + $0] } }
                XCTAssertGreaterThan(values.map(Swift.abs).max()!, 1e-3, "output entry \(k) (\(entry)) is zero")
            }
            for R in LT.rotations(seed: 83, proper: 2, improper: 2) {
                let rotated = run(TPReference.rotate(x, irreps: plan.irrepsIn, R), v.map { R * $0 })
                XCTAssertLessThan(LT.relDiff(rotated, TPReference.rotate(base, irreps: plan.irrepsOut, R)), 1e-12,
                                  "\(plan.irrepsIn) → \(plan.irrepsOut), det \(R.determinant)")
            }
        }
    }

    /// Tape gradients of input, filter and weights against central differences.
    func testGradientsAgainstFiniteDifferences() throws {
        var g = SeededGenerator(seed: 84)
        for plan in [try mixingPlan(), try mixingPlan(.shared), try mixingPlan(mulIn: 9, mulOut: 8), try mixedModePlan(mul: 8)] {
            let N = 3, E = 5
            let x = Tensor<Double>.randomNormal(shape: [N, plan.inputDimension], using: &g)
            let (src, dst) = LT.randomEdges(E, nodes: N, &g)
            let y = LT.sh(LT.randomVectors(E, &g), lmax: 2)
            let perEdge = plan.weightSharing == .perEdge
            let rows: [Int32]? = perEdge ? [0, 1, 2, 0, 1] : nil
            let w = weights(plan, rows: perEdge ? 3 : 1, &g)
            let probe = Tensor<Double>.randomNormal(shape: [N, plan.outputDimension], using: &g)
            let err = GradientCheck.check(inputs: [x, y, w]) { _, v in
                LT.probe(TensorProduct.convolution(plan, input: v[0], sources: src, destinations: dst, nodeCount: N,
                                                   filter: v[1], weights: v[2], weightRows: rows, scale: 0.8), probe)
            }
            XCTAssertLessThan(err, 1e-7, "\(plan.irrepsIn) → \(plan.irrepsOut), \(plan.weightSharing)")
        }
    }

    func testThreadedKernelsMatchSingleThread() throws {
        var g = SeededGenerator(seed: 85)
        let saved = TensorProduct.threads
        defer { TensorProduct.threads = saved }
        let plan = try mixedModePlan(mul: 8)
        let N = 40, E = 5000
        let x = Tensor<Double>.randomNormal(shape: [N, plan.inputDimension], using: &g)
        let (src, dst) = LT.randomEdges(E, nodes: N, &g)
        let y = LT.sh(LT.randomVectors(E, &g), lmax: 2)
        let rows = (0..<E).map { Int32($0 / 2) }
        let w = weights(plan, rows: E / 2, &g)
        let probe = Tensor<Double>.randomNormal(shape: [N, plan.outputDimension], using: &g)
        func run(_ threads: Int) -> [Tensor<Double>] {
            TensorProduct.threads = threads
            let t = Tape<Double>()
            let vx = t.variable(x), vy = t.variable(y), vw = t.variable(w)
            let out = TensorProduct.convolution(plan, input: vx, sources: src, destinations: dst, nodeCount: N,
                                                filter: vy, weights: vw, weightRows: rows, scale: 0.5)
            t.backward(LT.probe(out, probe))
            return [out.value, t.gradient(vx)!, t.gradient(vy)!, t.gradient(vw)!]
        }
        let one = run(1), two = run(2)
        for (a, b) in zip(two, one) { XCTAssertLessThan(LT.relDiff(a, b), 1e-12) }
    }
}
