import XCTest
import SE3Math

final class WignerDTests: XCTestCase {
    let lmax = 12

    func testIdentityOrthogonalityAndTranspose() {
        var g = SeededGenerator(seed: 21)
        let id = WignerD.blockDiagonal(lmax: lmax, .identity)
        for l in 0...lmax { XCTAssertLessThan(TS.maxAbsDiff(id.matrix(l), TS.identity(2 * l + 1)), 1e-14) }
        for _ in 0..<5 {
            let r = Rotation.random(using: &g)
            let b = WignerD.blockDiagonal(lmax: lmax, r), bt = WignerD.blockDiagonal(lmax: lmax, r.transposed)
            for l in 0...lmax {
                let d = b.matrix(l), n = 2 * l + 1
                XCTAssertLessThan(TS.maxAbsDiff(TS.matMul(d, TS.transpose(d, n), n), TS.identity(n)), 1e-12, "l=\(l)")
                XCTAssertLessThan(TS.maxAbsDiff(bt.matrix(l), TS.transpose(d, n)), 1e-12, "l=\(l)")
            }
        }
    }

    func testDegreeOneIsPermutedRotation() {
        var g = SeededGenerator(seed: 22)
        for _ in 0..<10 {
            let r = Rotation.random(using: &g)
            let d = WignerD.matrix(l: 1, r)
            let ax = [1, 2, 0]   // (y, z, x)
            for i in 0..<3 { for j in 0..<3 { XCTAssertEqual(d[i * 3 + j], r[ax[i], ax[j]], accuracy: 1e-15) } }
        }
    }

    func testL1BasisHelpers() {
        var g = SeededGenerator(seed: 28)
        let r = Rotation.random(using: &g), v = TS.gaussianVector(&g)
        let f = L1Basis.fromCartesian(v)
        XCTAssertEqual(L1Basis.toCartesian(f), v)
        XCTAssertEqual([0, 1, 2].map { f[L1Basis.index(ofAxis: $0)] }, [v.x, v.y, v.z])
        let rotated = TS.matVec(WignerD.matrix(l: 1, r), [f.x, f.y, f.z])
        let expected = L1Basis.fromCartesian(r * v)
        XCTAssertLessThan(TS.maxAbsDiff(rotated, [expected.x, expected.y, expected.z]), 1e-14)
        let y1 = TS.shBlock(SphericalHarmonics.evaluate(lmax: 1, v), 1)
        let u = L1Basis.fromCartesian(v / (v * v).sum().squareRoot()) * 3.0.squareRoot()
        XCTAssertLessThan(TS.maxAbsDiff(y1, [u.x, u.y, u.z]), 1e-15)
    }

    func testHomomorphism() {
        var g = SeededGenerator(seed: 23)
        for _ in 0..<5 {
            let a = Rotation.random(using: &g), b = Rotation.random(using: &g)
            let da = WignerD.blockDiagonal(lmax: lmax, a), db = WignerD.blockDiagonal(lmax: lmax, b)
            let dab = WignerD.blockDiagonal(lmax: lmax, a * b)
            for l in 0...lmax {
                XCTAssertLessThan(TS.maxAbsDiff(TS.matMul(da.matrix(l), db.matrix(l), 2 * l + 1), dab.matrix(l)), 1e-11, "l=\(l)")
            }
        }
    }

    /// The defining property: Y^l(R x) = D^l(R) Y^l(x), for proper and improper R.
    func testConsistentWithSphericalHarmonics() {
        var g = SeededGenerator(seed: 24)
        for trial in 0..<20 {
            var r = Rotation.random(using: &g)
            if trial % 4 == 3 { r = -r }      // improper: natural parity
            let x = TS.gaussianVector(&g)
            let y = SphericalHarmonics.evaluate(lmax: lmax, x), yr = SphericalHarmonics.evaluate(lmax: lmax, r * x)
            let blocks = WignerD.blockDiagonal(lmax: lmax, r)
            for l in 0...lmax {
                XCTAssertLessThan(TS.maxAbsDiff(TS.matVec(blocks.matrix(l), TS.shBlock(y, l)), TS.shBlock(yr, l)), 1e-10 * Double(l + 1),
                                  "l=\(l) trial=\(trial)")
            }
        }
    }

    /// The recursion stays accurate up to the largest supported degree.
    func testHighDegreeConsistency() {
        var g = SeededGenerator(seed: 27)
        let L = WignerD.maxL
        for _ in 0..<3 {
            let r = Rotation.random(using: &g), x = TS.gaussianVector(&g)
            let y = SphericalHarmonics.evaluate(lmax: L, x), yr = SphericalHarmonics.evaluate(lmax: L, r * x)
            let b = WignerD.blockDiagonal(lmax: L, r)
            for l in [16, 20, L] {
                XCTAssertLessThan(TS.maxAbsDiff(b.apply(l: l, TS.shBlock(y, l)), TS.shBlock(yr, l)), 1e-9, "l=\(l)")
                let d = b.matrix(l), n = 2 * l + 1
                XCTAssertLessThan(TS.maxAbsDiff(TS.matMul(d, TS.transpose(d, n), n), TS.identity(n)), 1e-10, "l=\(l)")
            }
        }
    }

    func testRotationAboutZIsExplicit() {
        let alpha = 0.731
        let b = WignerD.blockDiagonal(lmax: 8, .aboutZ(alpha))
        for l in 0...8 {
            for m in 1...max(l, 1) where l > 0 {
                let c = cos(Double(m) * alpha), s = sin(Double(m) * alpha)
                XCTAssertEqual(b[l, m, m], c, accuracy: 1e-13)
                XCTAssertEqual(b[l, m, -m], -s, accuracy: 1e-13)
                XCTAssertEqual(b[l, -m, m], s, accuracy: 1e-13)
                XCTAssertEqual(b[l, -m, -m], c, accuracy: 1e-13)
            }
            XCTAssertEqual(b[l, 0, 0], 1, accuracy: 1e-13)
        }
    }

    func testParityAndIrrepsMatrix() throws {
        let inv = WignerD.blockDiagonal(lmax: 3, .inversion)
        for l in 0...3 {
            let s: Double = l % 2 == 0 ? 1 : -1
            XCTAssertLessThan(TS.maxAbsDiff(inv.matrix(l), TS.identity(2 * l + 1).map { s * $0 }), 1e-15)
        }
        XCTAssertLessThan(TS.maxAbsDiff(WignerD.matrix(l: 1, .inversion, parity: .even), TS.identity(3)), 1e-15)

        var g = SeededGenerator(seed: 25)
        let r = Rotation.random(using: &g)
        let irreps = try Irreps("2x0e+1x1o+1x1e+2x2e")
        let m = WignerD.irrepsMatrix(irreps, r)
        XCTAssertEqual(m.count, irreps.dim * irreps.dim)
        let d1 = WignerD.matrix(l: 1, r), d2 = WignerD.matrix(l: 2, r)
        XCTAssertEqual(m[0], 1); XCTAssertEqual(m[1 * irreps.dim + 1], 1); XCTAssertEqual(m[1], 0)
        for i in 0..<3 { for j in 0..<3 {
            XCTAssertEqual(m[(2 + i) * irreps.dim + 2 + j], d1[i * 3 + j])
            XCTAssertEqual(m[(5 + i) * irreps.dim + 5 + j], d1[i * 3 + j])
        } }
        // 2x2e at offset 8: component i of channel u at 8 + 2 i + u (channels innermost)
        for u in 0..<2 { for i in 0..<5 { for j in 0..<5 {
            XCTAssertEqual(m[(8 + 2 * i + u) * irreps.dim + 8 + 2 * j + u], d2[i * 5 + j])
            XCTAssertEqual(m[(8 + 2 * i + u) * irreps.dim + 8 + 2 * j + 1 - u], 0)
        } } }
        // representation property on the full space, including an improper element
        let q = -Rotation.random(using: &g)
        let mq = WignerD.irrepsMatrix(irreps, q), mrq = WignerD.irrepsMatrix(irreps, r * q)
        XCTAssertLessThan(TS.maxAbsDiff(TS.matMul(m, mq, irreps.dim), mrq), 1e-12)
        // parity: 1o flips, 1e does not
        let mi = WignerD.irrepsMatrix(irreps, .inversion)
        XCTAssertEqual(mi[2 * irreps.dim + 2], -1)
        XCTAssertEqual(mi[5 * irreps.dim + 5], 1)
    }

    func testFlatAlignedVariantMatches() {
        var g = SeededGenerator(seed: 26)
        let dirs = (0..<5).map { _ in TS.gaussianVector(&g) }
        let blocks = WignerD.alignedToPolarAxis(directions: dirs, lmax: 4)
        let bs = WignerD.blockSize(lmax: 4)
        var flat = [Double](repeating: 0, count: bs * dirs.count)
        dirs.withUnsafeBufferPointer { d in flat.withUnsafeMutableBufferPointer { WignerD.alignedToPolarAxis(directions: d, lmax: 4, into: $0) } }
        for e in 0..<dirs.count {
            XCTAssertEqual(Array(flat[(e * bs)..<((e + 1) * bs)]), blocks[e].storage)
            XCTAssertEqual(blocks[e].storage, WignerD.blockDiagonal(lmax: 4, Rotation.aligning(dirs[e])).storage)
        }
        XCTAssertEqual(WignerD.offset(3), 1 + 9 + 25)
        XCTAssertEqual(WignerD.blockSize(lmax: 2), 35)
    }
}
