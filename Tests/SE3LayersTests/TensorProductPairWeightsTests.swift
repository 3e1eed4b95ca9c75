import XCTest
import SE3Math
import SE3Tensor
import SE3Layers

/// `TensorProduct.pairConvolution`: per-pair weights from a radial network's output layer,
/// produced in chunks, equal the plain tensor product with those weights materialised.
final class TensorProductPairWeightsTests: XCTestCase {
    func plan() throws -> TensorProductPlan {
        let a = try Irreps("3x0e+2x1o+2x2e"), c = try Irreps("4x0e+2x1o+9x2e"), f = Irreps.spherical(lmax: 2)
        return try TensorProductPlan(irrepsIn: a, irrepsFilter: f, irrepsOut: c,
                                     instructions: TensorProductPlan.allowedInstructions(irrepsIn: a, irrepsFilter: f, irrepsOut: c, mode: .uvw))
    }

    struct Setup {
        let x: Tensor<Double>, y: Tensor<Double>, h: Tensor<Double>, w: Tensor<Double>
        let src: [Int32], dst: [Int32], pairs: [Int32]
        let N: Int, P: Int, H: Int
    }

    func setup(_ plan: TensorProductPlan, _ g: inout SeededGenerator) -> Setup {
        let N = 5, P = 7, H = 4
        let (s0, d0) = LT.randomEdges(P, nodes: N, &g)
        // pairs 0..<P in both directions, plus one unpaired edge of pair 3, in a shuffled order
        var edges: [(Int32, Int32, Int32)] = []
        for p in 0..<P { edges.append((s0[p], d0[p], Int32(p))) }
        for p in 0..<P { edges.append((d0[p], s0[p], Int32(p))) }
        edges.append((s0[3], d0[3], 3))
        edges.shuffle(using: &g)
        return Setup(x: Tensor.randomNormal(shape: [N, plan.inputDimension], using: &g),
                     y: LT.sh(LT.randomVectors(edges.count, &g), lmax: 2),
                     h: Tensor.randomNormal(shape: [P, H], using: &g),
                     w: Tensor.randomNormal(shape: [H, plan.weightsPerEdge], using: &g),
                     src: edges.map { $0.0 }, dst: edges.map { $0.1 }, pairs: edges.map { $0.2 }, N: N, P: P, H: H)
    }

    func testEqualsTheProductWithMaterialisedWeightsForEveryChunkSize() throws {
        var g = SeededGenerator(seed: 91)
        let plan = try plan()
        let s = setup(plan, &g)
        let lastScale = 0.5
        let tape = Tape<Double>()
        let full = matmul(tape.constant(s.h), tape.constant(s.w)) * lastScale
        let refEdges = TensorProduct.edges(plan, input: tape.constant(s.x), sources: s.src, filter: tape.constant(s.y),
                                           weights: full, weightRows: s.pairs).value
        let refConv = TensorProduct.convolution(plan, input: tape.constant(s.x), sources: s.src, destinations: s.dst,
                                                nodeCount: s.N, filter: tape.constant(s.y), weights: full,
                                                weightRows: s.pairs, scale: 0.7).value
        for chunk in [1, 2, 3, 7, nil] {
            let e = TensorProduct.pairConvolution(plan, input: tape.constant(s.x), sources: s.src, destinations: nil,
                                                  filter: tape.constant(s.y), hidden: tape.constant(s.h),
                                                  lastWeight: tape.constant(s.w), lastScale: lastScale, pairs: s.pairs,
                                                  scale: 1, chunkPairs: chunk).value
            XCTAssertLessThan(LT.relDiff(e, refEdges), 1e-13, "chunk \(String(describing: chunk))")
            let c = TensorProduct.pairConvolution(plan, input: tape.constant(s.x), sources: s.src, destinations: s.dst,
                                                  nodeCount: s.N, filter: tape.constant(s.y), hidden: tape.constant(s.h),
                                                  lastWeight: tape.constant(s.w), lastScale: lastScale, pairs: s.pairs,
                                                  scale: 0.7, chunkPairs: chunk).value
            XCTAssertLessThan(LT.relDiff(c, refConv), 1e-13, "chunk \(String(describing: chunk))")
        }
    }

    func testGradientsOfInputFilterHiddenAndLastWeight() throws {
        var g = SeededGenerator(seed: 92)
        let plan = try plan()
        let s = setup(plan, &g)
        for (chunk, aggregate) in [(2, true), (3, false), (nil, true)] as [(Int?, Bool)] {
            let rows = aggregate ? s.N : s.src.count
            let probe = Tensor<Double>.randomNormal(shape: [rows, plan.outputDimension], using: &g)
            let err = GradientCheck.check(inputs: [s.x, s.y, s.h, s.w]) { _, v in
                LT.probe(TensorProduct.pairConvolution(plan, input: v[0], sources: s.src, destinations: aggregate ? s.dst : nil,
                                                       nodeCount: s.N, filter: v[1], hidden: v[2], lastWeight: v[3],
                                                       lastScale: 0.3, pairs: s.pairs, scale: 0.9, chunkPairs: chunk), probe)
            }
            XCTAssertLessThan(err, 1e-7, "chunk \(String(describing: chunk)), aggregate \(aggregate)")
        }
    }

    func testThreadedMatchesSingleThread() throws {
        var g = SeededGenerator(seed: 93)
        let saved = TensorProduct.threads
        defer { TensorProduct.threads = saved }
        let a = Irreps.uniform(channels: 8, lmax: 1), f = Irreps.spherical(lmax: 1), c = Irreps.uniform(channels: 8, lmax: 1)
        let plan = try TensorProductPlan(irrepsIn: a, irrepsFilter: f, irrepsOut: c,
                                         instructions: TensorProductPlan.allowedInstructions(irrepsIn: a, irrepsFilter: f, irrepsOut: c, mode: .uvw))
        let N = 30, P = 3000, H = 6
        let (src, dst) = LT.randomEdges(2 * P, nodes: N, &g)
        let pairs = (0..<(2 * P)).map { Int32($0 / 2) }
        let x = Tensor<Double>.randomNormal(shape: [N, plan.inputDimension], using: &g)
        let y = LT.sh(LT.randomVectors(2 * P, &g), lmax: 1)
        let h = Tensor<Double>.randomNormal(shape: [P, H], using: &g)
        let w = Tensor<Double>.randomNormal(shape: [H, plan.weightsPerEdge], using: &g)
        let probe = Tensor<Double>.randomNormal(shape: [N] + plan.outputRowShape, using: &g)
        func run(_ threads: Int) -> [Tensor<Double>] {
            TensorProduct.threads = threads
            let t = Tape<Double>()
            let vs = [x, y, h, w].map { t.variable($0) }
            let out = TensorProduct.pairConvolution(plan, input: vs[0], sources: src, destinations: dst, nodeCount: N,
                                                    filter: vs[1], hidden: vs[2], lastWeight: vs[3], lastScale: 0.4,
                                                    pairs: pairs, scale: 0.5, chunkPairs: 700)
            t.backward(LT.probe(out, probe))
            return [out.value] + vs.map { t.gradient($0)! }
        }
        let one = run(1), two = run(2)
        for (p, q) in zip(two, one) { XCTAssertLessThan(LT.relDiff(p, q), 1e-12) }
    }
}
