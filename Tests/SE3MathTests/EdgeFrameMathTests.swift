import XCTest
import SE3Math

/// The math of eSCN's edge frames and sphere grids: Gauss–Legendre rules, the Wigner-D
/// generators, the derivative of the aligning rotation.
final class EdgeFrameMathTests: XCTestCase {
    func testGaussLegendreIsExactUpToDegree2nMinus1() {
        for n in [1, 2, 3, 6, 14] {
            let (t, w) = GaussLegendre.rule(n)
            XCTAssertEqual(t.count, n)
            XCTAssertEqual(w.reduce(0, +), 2, accuracy: 1e-14)
            XCTAssertEqual(t, t.sorted())
            for k in 0...(2 * n - 1) {
                let exact = k % 2 == 1 ? 0 : 2 / Double(k + 1)
                let q = zip(t, w).reduce(0.0) { $0 + $1.1 * Foundation.pow($1.0, Double(k)) }
                XCTAssertEqual(q, exact, accuracy: 1e-13, "n \(n), degree \(k)")
            }
        }
    }

    /// `D^l(exp(t L_k)) = I + t J_k + O(t²)` and the generators are antisymmetric.
    func testWignerDGenerators() {
        let t = 1e-5
        func exp(_ k: Int, _ t: Double) -> Rotation {
            let c = Foundation.cos(t), s = Foundation.sin(t)
            switch k {
            case 0: return Rotation(rows: SIMD3(1, 0, 0), SIMD3(0, c, -s), SIMD3(0, s, c))
            case 1: return Rotation(rows: SIMD3(c, 0, s), SIMD3(0, 1, 0), SIMD3(-s, 0, c))
            default: return Rotation(rows: SIMD3(c, -s, 0), SIMD3(s, c, 0), SIMD3(0, 0, 1))
            }
        }
        for l in 0...6 {
            let d = 2 * l + 1
            let g = WignerD.generators(l: l)
            for (k, j) in [g.x, g.y, g.z].enumerated() {
                let plus = WignerD.matrix(l: l, exp(k, t)), minus = WignerD.matrix(l: l, exp(k, -t))
                for i in 0..<(d * d) {
                    XCTAssertEqual(j[i], (plus[i] - minus[i]) / (2 * t), accuracy: 1e-8, "l \(l), axis \(k)")
                    XCTAssertEqual(j[i], -j[(i % d) * d + i / d], accuracy: 1e-13)
                }
            }
        }
    }

    func testAligningDerivativeMatchesFiniteDifferences() {
        var g = SeededGenerator(seed: 5)
        let h = 1e-6
        for _ in 0..<20 {
            let v = SIMD3(g.nextGaussian(), g.nextGaussian(), g.nextGaussian()) * 2
            XCTAssertLessThan(Swift.abs((Rotation.aligning(v) * v).x), 1e-12)
            let dr = Rotation.aligningDerivative(v)
            for (k, analytic) in [dr.x, dr.y, dr.z].enumerated() {
                var p = v, m = v
                p[k] += h; m[k] -= h
                let rp = Rotation.aligning(p).rowMajor, rm = Rotation.aligning(m).rowMajor
                for i in 0..<9 { XCTAssertEqual(analytic.rowMajor[i], (rp[i] - rm[i]) / (2 * h), accuracy: 1e-7) }
            }
        }
        // the polar axis: finite values, an aligning rotation that is proper
        for v in [SIMD3<Double>(0, 0, 1.5), SIMD3(0, 0, -2)] {
            let r = Rotation.aligning(v)
            XCTAssertEqual(r.determinant, 1, accuracy: 1e-15)
            XCTAssertEqual(r * v, SIMD3(0, 0, (v * v).sum().squareRoot()))
            XCTAssertTrue(Rotation.aligningDerivative(v).x.rowMajor.allSatisfy(\.isFinite))
        }
    }
}
