import XCTest
import SE3Math
import SE3Tensor
import SE3Layers

final class EdgeGeometryTests: XCTestCase {
    func testLengthsAndHarmonics() throws {
        var g = SeededGenerator(seed: 61)
        let v = LT.randomVectors(6, &g) + [SIMD3(0, 0, 0)]
        let tape = Tape<Double>()
        let x = tape.constant(LT.vectorTensor(v))
        let y = EdgeGeometry.sphericalHarmonics(x, lmax: 3)
        let r = EdgeGeometry.lengths(x)
        XCTAssertEqual(y.shape, [7, 16])
        for e in 0..<7 {
            XCTAssertEqual(r.value[e], (v[e] * v[e]).sum().squareRoot(), accuracy: 1e-15)
            XCTAssertEqual(Array(y.value.scalars[e * 16..<(e + 1) * 16]), SphericalHarmonics.evaluate(lmax: 3, v[e]))
        }
        XCTAssertFalse(y.requiresGrad)
        // Float values are the Double values rounded once
        let tf = Tape<Float>()
        let yf = EdgeGeometry.sphericalHarmonics(tf.constant(Tensor(shape: [7, 3], scalars: LT.vectorTensor(v).scalars.map(Float.init))),
                                                 exact: v, lmax: 3)
        XCTAssertEqual(yf.value.scalars, y.value.scalars.map(Float.init))
        // rows select (pair representatives)
        XCTAssertEqual(EdgeGeometry.lengths(x, rows: [4, 0]).value.scalars, [r.value[4], r.value[0]])
    }

    func testDifferentiableHarmonicsLengthsAndEmbedding() throws {
        var g = SeededGenerator(seed: 62)
        let v = LT.randomVectors(5, &g)
        let x = LT.vectorTensor(v)
        let probe = Tensor<Double>.randomNormal(shape: [5, 16], using: &g)
        XCTAssertLessThan(GradientCheck.check(inputs: [x]) { _, vv in
            LT.probe(EdgeGeometry.sphericalHarmonics(vv[0], lmax: 3), probe)
        }, 1e-7)
        let probeR = Tensor<Double>.randomNormal(shape: [3], using: &g)
        XCTAssertLessThan(GradientCheck.check(inputs: [x]) { _, vv in LT.probe(EdgeGeometry.lengths(vv[0], rows: [1, 3, 1]), probeR) }, 1e-7)
        let basis = try BesselBasis(count: 4, cutoff: 2.5), env = try PolynomialEnvelope(p: 6)
        let probeE = Tensor<Double>.randomNormal(shape: [2, 4], using: &g)
        XCTAssertLessThan(GradientCheck.check(inputs: [x]) { _, vv in
            LT.probe(EdgeGeometry.radialEmbedding(vv[0], rows: [2, 0], basis: basis, envelope: env), probeE)
        }, 1e-7)
        let probeU = Tensor<Double>.randomNormal(shape: [3], using: &g)
        XCTAssertLessThan(GradientCheck.check(inputs: [x]) { _, vv in
            LT.probe(EdgeGeometry.envelope(vv[0], rows: [4, 1, 0], envelope: env, cutoff: 2.5), probeU)
        }, 1e-7)
        let t = Tape<Double>()
        let u = EdgeGeometry.envelope(t.constant(x), envelope: env, cutoff: 2.5).value
        for e in 0..<5 { XCTAssertEqual(u[e], env.value((v[e] * v[e]).sum().squareRoot() / 2.5), accuracy: 1e-15) }
    }

    /// `v_e = x[src] − x[dst] + Σ_k n_k a_k`: values from `exact`, gradients to positions and cells.
    func testEdgeVectorsFromPositionsAndCells() throws {
        var g = SeededGenerator(seed: 65)
        let positions = LT.randomVectors(4, &g)
        let cells = LT.randomVectors(6, &g)                        // 2 graphs × 3 lattice vectors
        let src: [Int32] = [0, 1, 2, 3, 3], dst: [Int32] = [1, 0, 3, 2, 3]
        let shifts: [SIMD3<Int32>] = [.zero, SIMD3(1, 0, -1), .zero, SIMD3(0, 2, 0), SIMD3(-1, 1, 0)]
        let edgeGraph: [Int32] = [0, 0, 1, 1, 1]
        func exact(_ p: [SIMD3<Double>], _ c: [SIMD3<Double>]) -> [SIMD3<Double>] {
            (0..<5).map { e in
                let n = shifts[e], k = 3 * Int(edgeGraph[e])
                let a: SIMD3<Double> = c[k] * Double(n.x) + c[k + 1] * Double(n.y)
                return p[Int(src[e])] - p[Int(dst[e])] + a + c[k + 2] * Double(n.z)
            }
        }
        let probe = Tensor<Double>.randomNormal(shape: [5, 3], using: &g)
        let err = GradientCheck.check(inputs: [LT.vectorTensor(positions), Tensor(shape: [2, 3, 3], scalars: LT.vectorTensor(cells).scalars)]) { _, vv in
            let p = (0..<4).map { SIMD3(vv[0].value[$0, 0], vv[0].value[$0, 1], vv[0].value[$0, 2]) }
            let c = (0..<6).map { SIMD3(vv[1].value.scalars[3 * $0], vv[1].value.scalars[3 * $0 + 1], vv[1].value.scalars[3 * $0 + 2]) }
            let v = EdgeGeometry.vectors(positions: vv[0], cells: vv[1], sources: src, destinations: dst, shifts: shifts,
                                         edgeGraph: edgeGraph, exact: exact(p, c))
            return LT.probe(v, probe)
        }
        XCTAssertLessThan(err, 1e-9)
    }

    func testHarmonicsRotateWithWignerDAndInvert() throws {
        var g = SeededGenerator(seed: 63)
        let v = LT.randomVectors(4, &g)
        let base = LT.sh(v, lmax: 3)
        for R in LT.rotations(seed: 64) {
            XCTAssertLessThan(LT.relDiff(LT.sh(v.map { R * $0 }, lmax: 3), LT.rotateSH(base, lmax: 3, R)), 1e-12)
        }
        let inverted = LT.sh(v.map { -$0 }, lmax: 3)
        for e in 0..<4 { for l in 0...3 { for i in l * l..<(l + 1) * (l + 1) {
            XCTAssertEqual(inverted[e, i], (l % 2 == 0 ? 1 : -1) * base[e, i], accuracy: 1e-13)
        } } }
    }
}
