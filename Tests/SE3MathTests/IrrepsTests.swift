import Foundation
import XCTest
import SE3Math

final class IrrepsTests: XCTestCase {
    func testParseAndPrintRoundTrip() throws {
        for s in ["16x0e+8x1o+4x2e", "1x0e", "0x1o+3x2e", "1x0o+1x0e+2x10e", "128x0e+64x1e+32x2o+16x3o"] {
            let ir = try Irreps(s)
            XCTAssertEqual(ir.description, s)
            XCTAssertEqual(try Irreps(ir.description), ir)
        }
    }

    func testParseAcceptsShortFormsAndSpaces() throws {
        XCTAssertEqual(try Irreps("0e"), Irreps([MulIrrep(1, Irrep(0, .even))]))
        XCTAssertEqual(try Irreps(" 16x0e + 8 x 1o +2e ").description, "16x0e+8x1o+1x2e")
        XCTAssertEqual(try Irreps("1y + 2y").description, "1x1o+1x2e")
        XCTAssertEqual(try Irreps("").count, 0)
        XCTAssertEqual(try Irreps("   ").dim, 0)
        XCTAssertEqual(try Irrep(" 3o ").description, "3o")
    }

    func testParserErrors() {
        for bad in ["1x", "x1o", "-1x0e", "2x3q", "0e++1o", "1.5x0e", "e", "1x1x1o", "+", "0e+", "ab", "1o 2e", "-1e"] {
            XCTAssertThrowsError(try Irreps(bad), bad) { err in
                guard let e = err as? IrrepsError else { return XCTFail("wrong error type for \(bad)") }
                XCTAssertTrue(e.description.contains("invalid"), e.description)
            }
        }
        XCTAssertThrowsError(try Irrep("2"))
        XCTAssertThrowsError(try Irrep("o"))
        XCTAssertThrowsError(try Irrep(validating: -1, .even))
    }

    func testDimLmaxCountOffsets() throws {
        let ir = try Irreps("16x0e+8x1o+4x2e")
        XCTAssertEqual(ir.dim, 16 + 24 + 20)
        XCTAssertEqual(ir.lmax, 2)
        XCTAssertEqual(ir.count, 3)
        XCTAssertEqual(ir.numIrreps, 28)
        XCTAssertEqual(ir.offsets, [0, 16, 40, 60])
        XCTAssertEqual(ir.slices, [0..<16, 16..<40, 40..<60])
        XCTAssertEqual(ir.slice(1), 16..<40)
        XCTAssertEqual(ir.ls.count, 28)
        XCTAssertEqual(ir.multiplicity(of: Irrep(1, .odd)), 8)
        XCTAssertEqual(Irreps().lmax, -1)
        XCTAssertEqual(try Irreps("3x0e+0x5o").lmax, 5)
    }

    func testSortedAndSimplified() throws {
        let ir = try Irreps("2o+1e+0e+1e")
        let s = ir.sortedWithPermutation()
        XCTAssertEqual(s.irreps.description, "1x0e+1x1e+1x1e+1x2o")
        XCTAssertEqual(s.permutation, [3, 1, 0, 2])   // e3nn: Irreps("2o + 1e + 0e + 1e").sort().p
        XCTAssertEqual(s.inverse, [2, 1, 3, 0])
        XCTAssertEqual(try Irreps("1o+0e+1o+2x0e").simplified().description, "3x0e+2x1o")
        // e3nn order: odd before even at equal l
        XCTAssertEqual(try Irreps("1e+1o+0e+0o").sorted().description, "1x0o+1x0e+1x1o+1x1e")
        XCTAssertEqual(try Irreps("1e+1e+0e+1e").mergingConsecutive().description, "2x1e+1x0e+1x1e")
        XCTAssertEqual(try Irreps("4x0e+0x1o+2x3e").simplified().description, "4x0e+2x3e")
        // simplified preserves dim and multiplicities
        let r = try Irreps("3x2e+1x0e+5x1o+2x0e+1x2e")
        XCTAssertEqual(r.simplified().dim, r.dim)
        for ir in [Irrep(0, .even), Irrep(1, .odd), Irrep(2, .even)] {
            XCTAssertEqual(r.simplified().multiplicity(of: ir), r.multiplicity(of: ir))
        }
    }

    func testSelectionRuleAndParity() {
        XCTAssertEqual(Irrep.productIrreps(Irrep(1, .odd), Irrep(1, .odd)).map(\.description), ["0e", "1e", "2e"])
        XCTAssertEqual(Irrep.productIrreps(Irrep(2, .even), Irrep(1, .odd)).map(\.description), ["1o", "2o", "3o"])
        XCTAssertEqual(Irrep.productIrreps(Irrep(0, .odd), Irrep(3, .odd)).map(\.description), ["3e"])
        for l1 in 0...6 { for l2 in 0...6 {
            let out = Irrep.productIrreps(Irrep(l1, .odd), Irrep(l2, .even))
            XCTAssertEqual(out.count, min(l1, l2) * 2 + 1)
            XCTAssertTrue(out.allSatisfy { $0.p == .odd && Irrep.isAllowed(Irrep(l1, .odd), Irrep(l2, .even), $0) })
            // dimension count: (2l1+1)(2l2+1) = Σ (2l3+1)
            XCTAssertEqual(out.reduce(0) { $0 + $1.dim }, (2 * l1 + 1) * (2 * l2 + 1))
        } }
        XCTAssertFalse(Irrep.isAllowed(Irrep(1, .odd), Irrep(1, .odd), Irrep(1, .odd)))
    }

    func testTensorProductIrreps() throws {
        let a = try Irreps("2x0e+1x1o"), b = try Irreps("1x0e+1x1o")
        let out = a * b
        // 2x0e⊗0e = 2x0e, 2x0e⊗1o = 2x1o, 1o⊗0e = 1x1o, 1o⊗1o = 0e+1e+2e  → sorted and merged
        XCTAssertEqual(out.description, "3x0e+3x1o+1x1e+1x2e")
        XCTAssertEqual(out.dim, a.dim * b.dim)
        let s = Irreps.spherical(lmax: 2)
        XCTAssertEqual((s * s).dim, 81)
    }

    func testConstructorsAndCodable() throws {
        XCTAssertEqual(Irreps.spherical(lmax: 3).description, "1x0e+1x1o+1x2e+1x3o")
        XCTAssertEqual(Irreps.spherical(lmax: 2, p: .even).description, "1x0e+1x1e+1x2e")
        XCTAssertEqual(Irreps.uniform(channels: 8, lmax: 2).description, "8x0e+8x1o+8x2e")
        XCTAssertEqual((Irreps.spherical(lmax: 1) * 2).description, "1x0e+1x1o+1x0e+1x1o")
        let ir = try Irreps("16x0e+8x1o")
        let data = try JSONEncoder().encode([ir])
        XCTAssertEqual(String(data: data, encoding: .utf8), "[\"16x0e+8x1o\"]")
        XCTAssertEqual(try JSONDecoder().decode([Irreps].self, from: data), [ir])
        XCTAssertThrowsError(try JSONDecoder().decode([Irreps].self, from: Data("[\"3xq\"]".utf8)))
    }
}
