import XCTest
import SE3Math

final class SphericalHarmonicsTests: XCTestCase {
    func testLowOrderClosedForms() {
        var g = SeededGenerator(seed: 11)
        for _ in 0..<50 {
            let v = TS.gaussianVector(&g) * 3.7
            let y = SphericalHarmonics.evaluate(lmax: 2, v)
            let r = (v * v).sum().squareRoot()
            let (x, yy, z) = (v.x / r, v.y / r, v.z / r)
            let s3 = 3.0.squareRoot(), s15 = 15.0.squareRoot(), s5 = 5.0.squareRoot()
            let expected = [1, s3 * yy, s3 * z, s3 * x,
                            s15 * x * yy, s15 * yy * z, s5 / 2 * (3 * z * z - 1), s15 * x * z, s15 / 2 * (x * x - yy * yy)]
            XCTAssertLessThan(TS.maxAbsDiff(y, expected), 1e-13)
        }
    }

    /// Compares with the documented spherical-coordinate formula, using an independent
    /// associated-Legendre evaluation P_l^m(t) = (1 − t²)^{m/2} dᵐ/dtᵐ P_l(t) via the
    /// standard three-term recurrence in l (without the Condon–Shortley phase).
    func testMatchesSphericalCoordinateDefinition() {
        var g = SeededGenerator(seed: 12)
        func assocLegendre(_ l: Int, _ m: Int, _ t: Double) -> Double {
            let s = (1 - t * t).squareRoot()
            var pmm = 1.0
            for k in 1...max(m, 1) where m > 0 { pmm *= Double(2 * k - 1) * s }
            if l == m { return pmm }
            var p1 = pmm, p2 = t * Double(2 * m + 1) * pmm
            if l == m + 1 { return p2 }
            for ll in (m + 2)...l {
                let p = (Double(2 * ll - 1) * t * p2 - Double(ll + m - 1) * p1) / Double(ll - m)
                p1 = p2; p2 = p
            }
            return p2
        }
        func factorial(_ n: Int) -> Double { n <= 1 ? 1 : (2...n).reduce(1.0) { $0 * Double($1) } }
        let lmax = 10
        for _ in 0..<20 {
            let v = TS.gaussianVector(&g)
            let y = SphericalHarmonics.evaluate(lmax: lmax, v)
            let r = (v * v).sum().squareRoot()
            let theta = acos(v.z / r), phi = atan2(v.y, v.x)
            for l in 0...lmax {
                for m in -l...l {
                    let am = abs(m)
                    let n = (Double(2 * l + 1) * factorial(l - am) / factorial(l + am)).squareRoot()
                    let p = assocLegendre(l, am, cos(theta))
                    let expected: Double
                    if m > 0 { expected = 2.0.squareRoot() * n * cos(Double(m) * phi) * p }
                    else if m == 0 { expected = n * p }
                    else { expected = 2.0.squareRoot() * n * sin(Double(am) * phi) * p }
                    XCTAssertEqual(y[l * l + l + m], expected, accuracy: 1e-10 * (1 + abs(expected)), "l=\(l) m=\(m)")
                }
            }
        }
    }

    func testComponentNormalisation() {
        var g = SeededGenerator(seed: 13)
        for _ in 0..<100 {
            let v = TS.gaussianVector(&g)
            let y = SphericalHarmonics.evaluate(lmax: 12, v)
            for l in 0...12 {
                let s = TS.shBlock(y, l).reduce(0) { $0 + $1 * $1 }
                XCTAssertEqual(s, Double(2 * l + 1), accuracy: 1e-11 * Double(2 * l + 1))
            }
        }
    }

    func testAdditionTheorem() {
        var g = SeededGenerator(seed: 14)
        for _ in 0..<100 {
            let a = TS.gaussianVector(&g), b = TS.gaussianVector(&g)
            let ya = SphericalHarmonics.evaluate(lmax: 12, a), yb = SphericalHarmonics.evaluate(lmax: 12, b)
            let cosg = (a * b).sum() / ((a * a).sum() * (b * b).sum()).squareRoot()
            for l in 0...12 {
                let dot = zip(TS.shBlock(ya, l), TS.shBlock(yb, l)).reduce(0) { $0 + $1.0 * $1.1 }
                XCTAssertEqual(dot, Double(2 * l + 1) * TS.legendre(l, cosg), accuracy: 1e-11 * Double(2 * l + 1))
            }
        }
    }

    func testHighDegreeNormalisationAndValidation() throws {
        var g = SeededGenerator(seed: 19)
        let lmax = SphericalHarmonics.maxL
        for _ in 0..<10 {
            let y = SphericalHarmonics.evaluate(lmax: lmax, TS.gaussianVector(&g))
            for l in [20, 30, lmax] {
                XCTAssertEqual(TS.shBlock(y, l).reduce(0) { $0 + $1 * $1 }, Double(2 * l + 1), accuracy: 1e-9 * Double(2 * l + 1))
            }
        }
        XCTAssertNoThrow(try SphericalHarmonics.validate(lmax: 12))
        XCTAssertThrowsError(try SphericalHarmonics.validate(lmax: lmax + 1))
        XCTAssertThrowsError(try SphericalHarmonics.validate(lmax: -1))
        XCTAssertThrowsError(try WignerD.validate(lmax: WignerD.maxL + 1))
    }

    func testParityAndScaleInvariance() {
        var g = SeededGenerator(seed: 15)
        for _ in 0..<30 {
            let v = TS.gaussianVector(&g)
            let y = SphericalHarmonics.evaluate(lmax: 10, v)
            let yNeg = SphericalHarmonics.evaluate(lmax: 10, -v)
            let yScaled = SphericalHarmonics.evaluate(lmax: 10, v * 123.5)
            for l in 0...10 {
                let s: Double = l % 2 == 0 ? 1 : -1
                XCTAssertLessThan(TS.maxAbsDiff(TS.shBlock(yNeg, l), TS.shBlock(y, l).map { s * $0 }), 1e-12)
            }
            XCTAssertLessThan(TS.maxAbsDiff(y, yScaled), 1e-11)
        }
    }

    func testZeroVectorAndVariantsAgree() {
        let z = SphericalHarmonics.evaluate(lmax: 4, .zero)
        XCTAssertEqual(z[0], 1)
        XCTAssertTrue(z.dropFirst().allSatisfy { $0 == 0 })
        let zg = SphericalHarmonics.evaluateWithGradient(lmax: 4, .zero)
        XCTAssertEqual(zg.values, z)
        XCTAssertTrue(zg.gradient.allSatisfy { $0 == .zero })

        var g = SeededGenerator(seed: 16)
        let vs = (0..<7).map { _ in TS.gaussianVector(&g) }
        let n = SphericalHarmonics.count(lmax: 6)
        let batch = SphericalHarmonics.evaluate(lmax: 6, vectors: vs)
        var buf = [Double](repeating: .nan, count: n)
        let fvs = vs.map { SIMD3<Float>(Float($0.x), Float($0.y), Float($0.z)) }
        var fout = [Float](repeating: .nan, count: n * vs.count)
        fvs.withUnsafeBufferPointer { fb in fout.withUnsafeMutableBufferPointer { SphericalHarmonics.evaluate(lmax: 6, vectors: fb, into: $0) } }
        for (e, v) in vs.enumerated() {
            let y = SphericalHarmonics.evaluate(lmax: 6, v)
            buf.withUnsafeMutableBufferPointer { SphericalHarmonics.evaluate(lmax: 6, v, into: $0) }
            XCTAssertEqual(buf, y)
            XCTAssertEqual(Array(batch[(e * n)..<((e + 1) * n)]), y)
            XCTAssertEqual(SphericalHarmonics.evaluateWithGradient(lmax: 6, v).values, y)
            for i in 0..<n { XCTAssertEqual(Double(fout[e * n + i]), y[i], accuracy: 1e-4 * (1 + abs(y[i]))) }
        }
    }

    func testGradientMatchesCentralFiniteDifferences() {
        var g = SeededGenerator(seed: 17)
        let lmax = 10
        for trial in 0..<20 {
            let v = TS.gaussianVector(&g) * (trial % 2 == 0 ? 0.7 : 2.3)
            let (_, grad) = SphericalHarmonics.evaluateWithGradient(lmax: lmax, v)
            let h = 1e-5
            for c in 0..<3 {
                var dv = SIMD3<Double>.zero
                dv[c] = h
                let yp = SphericalHarmonics.evaluate(lmax: lmax, v + dv)
                let ym = SphericalHarmonics.evaluate(lmax: lmax, v - dv)
                for i in 0..<yp.count {
                    let fd = (yp[i] - ym[i]) / (2 * h)
                    XCTAssertEqual(grad[i][c], fd, accuracy: 2e-6 * (1 + abs(fd)), "i=\(i) c=\(c)")
                }
            }
            // tangency: the harmonics of v/|v| do not change along v
            for i in 0..<grad.count { XCTAssertEqual((grad[i] * v).sum(), 0, accuracy: 1e-10) }
        }
    }

    func testBackwardIsVectorJacobianProduct() {
        var g = SeededGenerator(seed: 18)
        for _ in 0..<10 {
            let v = TS.gaussianVector(&g)
            let (_, grad) = SphericalHarmonics.evaluateWithGradient(lmax: 8, v)
            let up = TS.gaussianArray(grad.count, &g)
            let expected = zip(up, grad).reduce(SIMD3<Double>.zero) { $0 + $1.0 * $1.1 }
            let got = up.withUnsafeBufferPointer { SphericalHarmonics.backward(lmax: 8, v, upstream: $0) }
            for c in 0..<3 { XCTAssertEqual(got[c], expected[c], accuracy: 1e-10 * (1 + abs(expected[c]))) }
        }
    }
}
