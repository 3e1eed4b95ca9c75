import XCTest
import SE3Math
import SE3Tensor
import SE3Layers

final class RadialTests: XCTestCase {
    func testBesselKnownValues() throws {
        // c = 2: b_n(r) = sin(nπ r/2)/r
        let b = try BesselBasis(count: 4, cutoff: 2)
        XCTAssertEqual(b.values(1), [1, 0, -1, 0], accuracy: 1e-14)
        let s2 = 2.0.squareRoot()
        XCTAssertEqual(b.values(0.5), [s2, 2, s2, 0], accuracy: 1e-14)
        // r → 0 limit nπ/c · √(2/c)
        XCTAssertEqual(b.values(0), [1, 2, 3, 4].map { Double($0) * Double.pi / 2 }, accuracy: 1e-14)
        XCTAssertEqual(b.values(1e-9), b.values(0), accuracy: 1e-12)
        // continuity across the Taylor switch at 1e-4 c
        XCTAssertEqual(b.values(2e-4 * 0.999), b.values(2e-4 * 1.001), accuracy: 1e-6)
        let c5 = try BesselBasis(count: 1, cutoff: 5)
        XCTAssertEqual(c5.values(2.5)[0], (2.0 / 5).squareRoot() * 1 / 2.5, accuracy: 1e-14)
    }

    func testGaussianKnownValues() throws {
        let g = try GaussianBasis(count: 5, cutoff: 4)
        XCTAssertEqual(g.width, 1)
        XCTAssertEqual((0..<5).map { g.centre($0) }, [0, 1, 2, 3, 4])
        let h = exp(-0.5), q = exp(-2.0)
        XCTAssertEqual(g.values(1), [h, 1, h, q, exp(-4.5)], accuracy: 1e-14)
    }

    func testBasisDerivativesMatchFiniteDifferences() throws {
        let bases: [any RadialBasis] = [try BesselBasis(count: 6, cutoff: 4.5), try GaussianBasis(count: 6, cutoff: 4.5)]
        for basis in bases {
            for r in [0.0, 1e-5, 0.3, 1.7, 4.4] {
                let h = 1e-6
                let num = zip(basis.values(r + h), basis.values(r - h)).map { ($0 - $1) / (2 * h) }
                XCTAssertEqual(basis.derivatives(r), num, accuracy: 1e-6, "\(basis) r = \(r)")
            }
        }
    }

    func testEnvelopeValuesAndSmoothnessAtCutoff() throws {
        let u = try PolynomialEnvelope(p: 6)
        XCTAssertEqual(u.value(0), 1)
        XCTAssertEqual(u.value(0.5), 1 - 28.0 / 64 + 48.0 / 128 - 21.0 / 256, accuracy: 1e-15)
        XCTAssertEqual(u.value(1), 0, accuracy: 1e-14)
        XCTAssertEqual(u.value(1.3), 0)
        XCTAssertEqual(u.derivative(1), 0)
        XCTAssertEqual(u.derivative(1.3), 0)
        // value, derivative, second derivative → 0 approaching the cutoff from below
        let h = 1e-3
        XCTAssertLessThan(abs(u.value(1 - h)), 1e-7)
        XCTAssertLessThan(abs(u.derivative(1 - h)), 1e-3)
        let second = (u.derivative(1 - h) - u.derivative(1 - 2 * h)) / h
        XCTAssertLessThan(abs(second), 0.5)
        for p in [2, 5, 6, 8] {
            let e = try PolynomialEnvelope(p: p)
            for d in [0.1, 0.4, 0.77, 0.95] {
                XCTAssertEqual(e.derivative(d), (e.value(d + 1e-6) - e.value(d - 1e-6)) / 2e-6, accuracy: 1e-6)
            }
            XCTAssertEqual(e.value(1 - 1e-9), 0, accuracy: 1e-13)
        }
        XCTAssertThrowsError(try PolynomialEnvelope(p: 0))
        XCTAssertThrowsError(try BesselBasis(count: 0, cutoff: 5))
        XCTAssertThrowsError(try GaussianBasis(count: 3, cutoff: -1)) { e in XCTAssertTrue("\(e)".contains("cutoff")) }
    }

    func testEmbeddingTableAndGradient() throws {
        let basis = try BesselBasis(count: 5, cutoff: 3)
        let env = try PolynomialEnvelope(p: 6)
        let lengths = [0.2, 1.1, 2.9, 3.0, 3.5]
        let t = basis.table(lengths: lengths, envelope: env, as: Double.self).values
        XCTAssertEqual(t.shape, [5, 5])
        for (e, r) in lengths.enumerated() {
            let u = env.value(r / 3)
            for k in 0..<5 { XCTAssertEqual(t[e, k], basis.values(r)[k] * u, accuracy: 1e-14) }
        }
        for k in 0..<5 { XCTAssertEqual(t[3, k], 0); XCTAssertEqual(t[4, k], 0) }
        // the derivative table is d(b_k u)/dr
        let d = basis.table(lengths: lengths, envelope: env, withDerivative: true, as: Double.self).derivatives!
        let h = 1e-6
        for (e, r) in lengths.enumerated() where r < 2.9 {
            let p = basis.table(lengths: [r + h], envelope: env, as: Double.self).values
            let m = basis.table(lengths: [r - h], envelope: env, as: Double.self).values
            for k in 0..<5 { XCTAssertEqual(d[e, k], (p[0, k] - m[0, k]) / (2 * h), accuracy: 1e-7) }
        }
        let tape = Tape<Double>()
        let v = tape.constant(LT.vectorTensor(lengths.map { SIMD3($0, 0, 0) }))
        XCTAssertFalse(EdgeGeometry.radialEmbedding(v, basis: basis, envelope: env).requiresGrad)
    }
}

func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, message, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, message, file: file, line: line) }
}
