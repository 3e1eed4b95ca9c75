import XCTest
import SE3Math

/// se3's spherical harmonics, Clebsch–Gordan blocks and Wigner-D matrices against e3nn 0.6.0
/// reference values (`Tests/Fixtures/e3nn/*.json`, written by `make_fixtures.py` there).
///
/// The basis change, with `P (x, y, z) = (z, x, y)` (e3nn's polar axis y ↦ se3's z):
///
///     Y^l_e3nn(v)               = Y^l_se3(P v)                       (same flat index l² + l + m)
///     D^l_e3nn(R)               = D^l_se3(P R Pᵀ)                    (also improper R, per irrep parity)
///     ClebschGordan.block(l1, l2, l3) = ε √(2l3 + 1) · wigner_3j(l1, l2, l3),
///                                 ε = sign of the first entry of wigner_3j with |w| > 1e-9
final class E3NNConventionTests: XCTestCase {
    let tolerance = 1e-10

    func testAxisPermutationIsProper() {
        XCTAssertEqual(E3NNFixtures.axisPermutation.determinant, 1)
        XCTAssertEqual(E3NNFixtures.toSE3([1, 2, 3]), SIMD3(3, 1, 2))
    }

    func testSphericalHarmonicsAgreeAfterAxisPermutation() throws {
        let f = try E3NNFixtures.load(E3NNFixtures.SphericalHarmonicsFile.self, "spherical_harmonics.json")
        XCTAssertEqual(f.lmax, 6)
        XCTAssertGreaterThanOrEqual(f.vectors.count, 12)
        for (v, expected) in zip(f.vectors, f.values) {
            XCTAssertEqual(expected.count, SphericalHarmonics.count(lmax: f.lmax))
            let y = SphericalHarmonics.evaluate(lmax: f.lmax, E3NNFixtures.toSE3(v))
            for l in 0...f.lmax {
                XCTAssertLessThan(TS.maxAbsDiff(TS.shBlock(y, l), TS.shBlock(expected, l)), tolerance, "l=\(l) v=\(v)")
            }
            // e3nn's l = 1 block is √3 (x, y, z) / r
            let r = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).squareRoot()
            XCTAssertLessThan(TS.maxAbsDiff(TS.shBlock(expected, 1), v.map { 3.0.squareRoot() * $0 / r }), tolerance)
        }
    }

    func testWigner3jIsScaledClebschGordanUpToLeadingSign() throws {
        let f = try E3NNFixtures.load(E3NNFixtures.Wigner3jFile.self, "wigner_3j.json")
        let covered = Set(f.blocks.map { [$0.l1, $0.l2, $0.l3] })
        for l1 in 0...3 { for l2 in 0...3 { for l3 in 0...3 where ClebschGordan.isAllowed(l1, l2, l3) {
            XCTAssertTrue(covered.contains([l1, l2, l3]), "missing (\(l1), \(l2), \(l3))")
        } } }
        for b in f.blocks {
            let label = "(\(b.l1), \(b.l2), \(b.l3))"
            XCTAssertEqual(b.shape, [2 * b.l1 + 1, 2 * b.l2 + 1, 2 * b.l3 + 1], label)
            let c = ClebschGordan.block(l1: b.l1, l2: b.l2, l3: b.l3).values
            let eps = E3NNFixtures.leadingSign(b.values, tolerance: 1e-9)
            XCTAssertNotEqual(eps, 0, label)
            let scale = eps * Double(2 * b.l3 + 1).squareRoot()
            XCTAssertLessThan(TS.maxAbsDiff(c, b.values.map { scale * $0 }), tolerance, label)
            // ε is se3's own sign rule seen from e3nn: se3's first exactly non-zero entry sits where
            // e3nn's first entry above the tolerance does, and is positive.
            XCTAssertEqual(c.firstIndex { $0 != 0 }, b.values.firstIndex { abs($0) > 1e-9 }, label)
            XCTAssertEqual(E3NNFixtures.leadingSign(c, tolerance: 0), 1, label)
        }
    }

    func testWignerDAgreesUnderConjugatedRotation() throws {
        let f = try E3NNFixtures.load(E3NNFixtures.WignerDFile.self, "wigner_d.json")
        XCTAssertEqual(f.rotations.count, 4)
        for rot in f.rotations {
            let r = E3NNFixtures.toSE3(rotation: rot.matrix)
            XCTAssertFalse(r.isImproper)
            XCTAssertLessThan(TS.maxAbsDiff(rot.D["1o"] ?? [], rot.matrix), tolerance, "e3nn D^1(R) = R")
            XCTAssertEqual(Set(rot.D.keys), ["0e", "1o", "2e", "3o", "4e"])
            for (name, expected) in rot.D {
                let (l, _) = E3NNFixtures.irrep(name)
                XCTAssertLessThan(TS.maxAbsDiff(WignerD.matrix(l: l, r), expected), tolerance, name)
            }
        }
    }

    func testImproperWignerDUsesIrrepParity() throws {
        let f = try E3NNFixtures.load(E3NNFixtures.WignerDFile.self, "wigner_d.json")
        let r = E3NNFixtures.toSE3(rotation: f.improper.matrix)
        XCTAssertTrue(r.isImproper)
        XCTAssertEqual(Set(f.improper.D.keys), ["0e", "1o", "1e", "2e", "2o"])
        for (name, expected) in f.improper.D {
            let (l, p) = E3NNFixtures.irrep(name)
            XCTAssertLessThan(TS.maxAbsDiff(WignerD.matrix(l: l, r, parity: p), expected), tolerance, name)
            if p == .natural(l) {
                XCTAssertLessThan(TS.maxAbsDiff(WignerD.matrix(l: l, r), expected), tolerance, name)
            }
        }
    }
}
