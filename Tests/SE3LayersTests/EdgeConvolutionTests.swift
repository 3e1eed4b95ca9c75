import XCTest
import SE3Math
import SE3Tensor
import SE3Layers

final class EdgeConvolutionTests: XCTestCase {
    struct Setup {
        let store: ParameterStore<Double>
        let conv: EdgeConvolution
        let basis: BesselBasis
        let envelope: PolynomialEnvelope
        let src: [Int32], dst: [Int32]
        let x: Tensor<Double>
        let vectors: [SIMD3<Double>]
        let nodes: Int
    }

    private func setup(lmax: Int, channels: Int, nodes: Int, edges: Int, seed: UInt64) throws -> Setup {
        var g = SeededGenerator(seed: seed)
        let store = ParameterStore<Double>()
        let conv = try EdgeConvolution(store: store, name: "conv", lmaxIn: lmax, lmaxFilter: lmax, lmaxOut: lmax,
                                       channels: channels, radialInputs: 4, radialHidden: 6, averageNeighbors: 3, rng: &g)
        let (src, dst) = LT.randomEdges(edges, nodes: nodes, &g)
        return Setup(store: store, conv: conv, basis: try BesselBasis(count: 4, cutoff: 3),
                     envelope: try PolynomialEnvelope(p: 6), src: src, dst: dst,
                     x: LT.randomFeatures(nodes, lmax: lmax, channels: channels, &g),
                     vectors: LT.randomVectors(edges, &g), nodes: nodes)
    }

    private func run(_ s: Setup, x: Tensor<Double>, vectors: [SIMD3<Double>], tape: Tape<Double>) throws -> SphericalFeatures<Double> {
        let (sh, emb) = LT.edgeInputs(vectors, lmax: s.conv.plan.irrepsFilter.lmax, basis: s.basis, envelope: s.envelope, tape: tape)
        return s.conv(SphericalFeatures(tape.constant(x), lmax: s.conv.plan.irrepsIn.lmax, channels: s.conv.plan.channels),
                      sh: sh, radialEmbedding: emb, sources: s.src, destinations: s.dst)
    }

    func testEquivarianceEveryDegreeUpToThree() throws {
        let s = try setup(lmax: 3, channels: 2, nodes: 4, edges: 10, seed: 71)
        let base = try run(s, x: s.x, vectors: s.vectors, tape: Tape(store: s.store)).variable.value
        for R in LT.rotations(seed: 72) {
            let rotated = try run(s, x: LT.rotate(s.x, lmax: 3, R), vectors: s.vectors.map { R * $0 }, tape: Tape(store: s.store))
            XCTAssertLessThan(LT.relDiff(rotated.variable.value, LT.rotate(base, lmax: 3, R)), 1e-12)
        }
    }

    func testMessagesSumToTheConvolution() throws {
        let s = try setup(lmax: 2, channels: 3, nodes: 5, edges: 12, seed: 73)
        let tape = Tape<Double>(store: s.store)
        let (sh, emb) = LT.edgeInputs(s.vectors, lmax: 2, basis: s.basis, envelope: s.envelope, tape: tape)
        let xf = SphericalFeatures(tape.constant(s.x), lmax: 2, channels: 3)
        let msg = s.conv.messages(xf.variable, sh: sh, radialEmbedding: emb, sources: s.src)
        XCTAssertEqual(msg.shape, [12, 9, 3])
        let summed = scatterAddRows(msg, indices: s.dst, count: 5).value * (1 / 3.0.squareRoot())
        let conv = s.conv(xf, sh: sh, radialEmbedding: emb, sources: s.src, destinations: s.dst)
        XCTAssertLessThan(LT.relDiff(conv.variable.value, summed), 1e-13)
    }

    func testParameterInputAndEdgeVectorGradients() throws {
        let s = try setup(lmax: 2, channels: 2, nodes: 3, edges: 5, seed: 74)
        var g = SeededGenerator(seed: 75)
        let probe = LT.randomFeatures(3, lmax: 2, channels: 2, &g)
        let errP = GradientCheck.checkParameters(store: s.store) { t in
            LT.probe(try! self.run(s, x: s.x, vectors: s.vectors, tape: t).variable, probe)
        }
        XCTAssertLessThan(errP, 1e-7)
        let errX = LT.inputGradientError(s.x, store: s.store) { v in
            let (sh, emb) = LT.edgeInputs(s.vectors, lmax: 2, basis: s.basis, envelope: s.envelope, tape: v.tape)
            return LT.probe(s.conv(SphericalFeatures(v, lmax: 2, channels: 2), sh: sh, radialEmbedding: emb,
                                   sources: s.src, destinations: s.dst).variable, probe)
        }
        XCTAssertLessThan(errX, 1e-7)
        // forces path: differentiate w.r.t. the edge vectors through SH and the radial embedding
        let errV = LT.inputGradientError(LT.vectorTensor(s.vectors), store: s.store) { v in
            let sh = EdgeGeometry.sphericalHarmonics(v, lmax: 2)
            let emb = EdgeGeometry.radialEmbedding(v, basis: s.basis, envelope: s.envelope)
            return LT.probe(s.conv(SphericalFeatures(v.tape.constant(s.x), lmax: 2, channels: 2), sh: sh, radialEmbedding: emb,
                                   sources: s.src, destinations: s.dst).variable, probe)
        }
        XCTAssertLessThan(errV, 1e-7)
    }

    /// A small TFN block chain (conv → linear → gate → conv → norm nonlinearity) stays equivariant.
    func testComposedBlockEquivariance() throws {
        var g = SeededGenerator(seed: 76)
        let store = ParameterStore<Double>()
        let conv1 = try EdgeConvolution(store: store, name: "c1", lmaxIn: 1, lmaxFilter: 3, lmaxOut: 3, channels: 3,
                                        radialInputs: 4, radialHidden: 8, averageNeighbors: 2.5, rng: &g)
        let lin = try EquivariantLinear(store: store, name: "lin", lmaxIn: 3, lmaxOut: 3, channelsIn: 3, channelsOut: 3, rng: &g)
        let gate = try Gate(store: store, name: "gate", lmax: 3, channels: 3, rng: &g)
        let conv2 = try EdgeConvolution(store: store, name: "c2", lmaxIn: 3, lmaxFilter: 3, lmaxOut: 3, channels: 3,
                                        radialInputs: 4, radialHidden: 8, averageNeighbors: 2.5, rng: &g)
        let norm = try NormNonlinearity(store: store, name: "norm", lmax: 3, channels: 3, rng: &g)
        let basis = try GaussianBasis(count: 4, cutoff: 4)
        let env = try PolynomialEnvelope()
        let (src, dst) = LT.randomEdges(14, nodes: 5, &g)
        let vectors = LT.randomVectors(14, &g)
        let x = LT.randomFeatures(5, lmax: 1, channels: 3, &g)
        func run(_ x: Tensor<Double>, _ v: [SIMD3<Double>]) throws -> Tensor<Double> {
            let tape = Tape<Double>(store: store)
            let (sh, emb) = LT.edgeInputs(v, lmax: 3, basis: basis, envelope: env, tape: tape)
            var h = conv1(SphericalFeatures(tape.constant(x), lmax: 1, channels: 3), sh: sh, radialEmbedding: emb,
                          sources: src, destinations: dst)
            h = gate(lin(h))
            h = norm(conv2(h, sh: sh, radialEmbedding: emb, sources: src, destinations: dst))
            return h.variable.value
        }
        let base = try run(x, vectors)
        for R in LT.rotations(seed: 77) {
            XCTAssertLessThan(LT.relDiff(try run(LT.rotate(x, lmax: 1, R), vectors.map { R * $0 }), LT.rotate(base, lmax: 3, R)), 1e-11)
        }
    }

    /// Weight rows shared by reverse edges (one radial evaluation per atom pair) give the same
    /// convolution, values and gradients, as one radial evaluation per edge.
    func testSharedWeightRowsPerPairEqualPerEdgeEvaluation() throws {
        var g = SeededGenerator(seed: 79)
        let store = ParameterStore<Double>()
        let conv = try EdgeConvolution(store: store, name: "c", lmaxIn: 2, lmaxFilter: 2, lmaxOut: 2, channels: 8,
                                       radialInputs: 4, radialHidden: 6, averageNeighbors: 3, rng: &g)
        let basis = try BesselBasis(count: 4, cutoff: 3), env = try PolynomialEnvelope()
        let half = LT.randomVectors(7, &g)
        let (s0, d0) = LT.randomEdges(7, nodes: 5, &g)
        let vectors = half + half.map { -$0 }, src = s0 + d0, dst = d0 + s0
        let rows = (0..<7).map(Int32.init) + (0..<7).map(Int32.init)
        let x = LT.randomFeatures(5, lmax: 2, channels: 8, &g)
        let probe = LT.randomFeatures(5, lmax: 2, channels: 8, &g)
        var results: [(Tensor<Double>, [Double], Tensor<Double>)] = []
        for paired in [false, true] {
            store.zeroGrads()
            let tape = Tape<Double>(store: store)
            let v = tape.variable(LT.vectorTensor(vectors))
            let sh = EdgeGeometry.sphericalHarmonics(v, exact: vectors, lmax: 2)
            let emb = EdgeGeometry.radialEmbedding(v, exact: vectors, rows: paired ? (0..<7).map(Int32.init) : nil,
                                                   basis: basis, envelope: env)
            XCTAssertEqual(emb.shape, [paired ? 7 : 14, 4])
            let y = conv(SphericalFeatures(tape.variable(x), lmax: 2, channels: 8), sh: sh, radialEmbedding: emb,
                         sources: src, destinations: dst, weightRows: paired ? rows : nil)
            tape.backward(LT.probe(y.variable, probe))
            results.append((y.variable.value, store.grads, tape.gradient(v)!))
        }
        XCTAssertLessThan(LT.relDiff(results[1].0, results[0].0), 1e-13)
        XCTAssertLessThan(zip(results[0].1, results[1].1).map { Swift.abs($0 - $1) }.max()!, 1e-12)
        // the edge-vector gradient goes to the representative edge only, but the sum over a pair's
        // edges (what positions see: v_ba = −v_ab) is the same
        for e in 0..<7 {
            for j in 0..<3 {
                let perEdge = results[0].2[e, j] - results[0].2[e + 7, j], perPair = results[1].2[e, j] - results[1].2[e + 7, j]
                XCTAssertEqual(perEdge, perPair, accuracy: 1e-12)
            }
        }
    }

    func testInvalidConfigurationThrows() {
        var g = SeededGenerator(seed: 78)
        let store = ParameterStore<Double>()
        XCTAssertThrowsError(try EdgeConvolution(store: store, name: "c", lmaxIn: 1, lmaxFilter: 1, lmaxOut: 1, channels: 2,
                                                 radialInputs: 4, averageNeighbors: 0, rng: &g)) { e in
            XCTAssertTrue("\(e)".contains("averageNeighbors"))
        }
    }
}
