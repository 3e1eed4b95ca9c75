import XCTest
import SE3Math

/// The facts eSCN relies on (seed eq. 14–16).
final class ESCNSparsityTests: XCTestCase {
    /// Eq. 14: Y^l(R r̂) = √(2l+1) δ_{m0} when R = aligning(r̂), i.e. D^l(R) Y^l(r̂) too.
    func testAlignedHarmonicsAreZonal() {
        var g = SeededGenerator(seed: 41)
        let lmax = 10
        var dirs = (0..<50).map { _ in TS.gaussianVector(&g) }
        dirs += [SIMD3(0, 0, 1), SIMD3(0, 0, -1), SIMD3(1e-9, -2e-9, -1)]
        let blocks = WignerD.alignedToPolarAxis(directions: dirs, lmax: lmax)
        for (e, d) in dirs.enumerated() {
            let r = Rotation.aligning(d)
            let yAligned = SphericalHarmonics.evaluate(lmax: lmax, r * d)
            let y = SphericalHarmonics.evaluate(lmax: lmax, d)
            for l in 0...lmax {
                var expected = [Double](repeating: 0, count: 2 * l + 1)
                expected[l] = Double(2 * l + 1).squareRoot()
                XCTAssertLessThan(TS.maxAbsDiff(TS.shBlock(yAligned, l), expected), 1e-12)
                XCTAssertLessThan(TS.maxAbsDiff(blocks[e].apply(l: l, TS.shBlock(y, l)), expected), 1e-10, "l=\(l) \(d)")
            }
        }
    }

    /// Eq. 15: C^{(lo,mo)}_{(li,mi),(lf,0)} ≠ 0 only if mi = ±mo, and the eSCN weight symmetry
    /// C^{(lo,mo)}_{(li,mo),(lf,0)} = C^{(lo,−mo)}_{(li,−mo),(lf,0)},
    /// C^{(lo,−mo)}_{(li,mo),(lf,0)} = −C^{(lo,mo)}_{(li,−mo),(lf,0)}.
    func testFilterAtZeroOrderCouplesOnlyPlusMinusM() {
        let lmax = 10
        for li in 0...lmax { for lf in 0...lmax { for lo in abs(li - lf)...min(li + lf, lmax) {
            let b = ClebschGordan.block(l1: li, l2: lf, l3: lo)
            for mi in -li...li { for mo in -lo...lo where abs(mi) != abs(mo) {
                XCTAssertEqual(b[mi, 0, mo], 0, "li=\(li) lf=\(lf) lo=\(lo) mi=\(mi) mo=\(mo)")
            } }
            for m in 0...min(li, lo) {
                XCTAssertEqual(b[m, 0, m], b[-m, 0, -m], accuracy: 1e-14)
                if m > 0 { XCTAssertEqual(b[m, 0, -m], -b[-m, 0, m], accuracy: 1e-14) }
            }
        } } }
    }

    /// The whole rotate–couple–rotate-back identity of eq. 15:
    /// x ⊗ Y(r̂) = D^{lo}(R)ᵀ [ (D^{li}(R) x) ⊗ Y(R r̂) ], R = aligning(r̂).
    func testRotatedFrameMessageEqualsDirectMessage() {
        var g = SeededGenerator(seed: 42)
        let lmax = 6
        for _ in 0..<10 {
            let d = TS.gaussianVector(&g)
            let r = Rotation.aligning(d)
            let blocks = WignerD.blockDiagonal(lmax: lmax, r)
            let y = SphericalHarmonics.evaluate(lmax: lmax, d), yr = SphericalHarmonics.evaluate(lmax: lmax, r * d)
            for li in 0...lmax { for lf in 0...lmax { for lo in abs(li - lf)...min(li + lf, lmax) {
                let b = ClebschGordan.block(l1: li, l2: lf, l3: lo)
                let x = TS.gaussianArray(2 * li + 1, &g)
                let direct = b.couple(x, TS.shBlock(y, lf))
                let rotated = blocks.applyTransposed(l: lo, b.couple(blocks.apply(l: li, x), TS.shBlock(yr, lf)))
                XCTAssertLessThan(TS.maxAbsDiff(direct, rotated), 1e-11)
            } } }
        }
    }
}
