import XCTest
import SE3Math

final class RotationTests: XCTestCase {
    func assertOrthogonalProper(_ r: Rotation, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThan((r * r.transposed).maxDifference(.identity), 1e-13, file: file, line: line)
        XCTAssertEqual(r.determinant, 1, accuracy: 1e-13, file: file, line: line)
    }

    func testRandomIsOrthogonalAndDeterministic() {
        var g = SeededGenerator(seed: 1), h = SeededGenerator(seed: 1)
        var meanZ = SIMD3<Double>.zero
        let n = 2000
        for _ in 0..<n {
            let r = Rotation.random(using: &g)
            XCTAssertEqual(r, Rotation.random(using: &h))
            assertOrthogonalProper(r)
            meanZ += r * SIMD3(0, 0, 1)
        }
        // Haar measure: the image of a fixed vector is uniform on the sphere (mean ≈ 0)
        XCTAssertLessThan(((meanZ / Double(n)) * (meanZ / Double(n))).sum().squareRoot(), 0.08)
    }

    func testAxisAngleEulerAndComposition() {
        let rz = Rotation.axisAngle(SIMD3(0, 0, 2), .pi / 2)
        XCTAssertLessThan(TS.maxAbsDiff([(rz * SIMD3(1, 0, 0)).x, (rz * SIMD3(1, 0, 0)).y], [0, 1]), 1e-15)
        XCTAssertLessThan(rz.maxDifference(.aboutZ(.pi / 2)), 1e-15)
        XCTAssertLessThan(Rotation.axisAngle(SIMD3(0, 1, 0), 0.3).maxDifference(.aboutY(0.3)), 1e-15)
        XCTAssertLessThan(Rotation.axisAngle(SIMD3(1, 0, 0), -0.8).maxDifference(.aboutX(-0.8)), 1e-15)
        let e = Rotation.eulerZYZ(0.3, 1.1, -2.0)
        let manual = Rotation.aboutZ(0.3) * (Rotation.aboutY(1.1) * Rotation.aboutZ(-2.0))
        XCTAssertLessThan(e.maxDifference(manual), 1e-14)
        assertOrthogonalProper(e)
        var g = SeededGenerator(seed: 2)
        for _ in 0..<20 {
            let a = Rotation.random(using: &g), b = Rotation.random(using: &g), v = TS.gaussianVector(&g)
            let lhs = (a * b) * v, rhs = a * (b * v)
            XCTAssertLessThan(TS.maxAbsDiff([lhs.x, lhs.y, lhs.z], [rhs.x, rhs.y, rhs.z]), 1e-13)
            XCTAssertLessThan((a.inverse * a).maxDifference(.identity), 1e-13)
            // axis is fixed by axis-angle
            let axis = TS.gaussianVector(&g)
            let fixed = Rotation.axisAngle(axis, 1.234) * axis
            XCTAssertLessThan(TS.maxAbsDiff([fixed.x, fixed.y, fixed.z], [axis.x, axis.y, axis.z]), 1e-13)
        }
        XCTAssertEqual(Rotation.inversion.determinant, -1)
        XCTAssertTrue((-Rotation.identity).isImproper)
        XCTAssertEqual(Rotation(rowMajor: e.rowMajor), e)
    }

    func testAligningSendsDirectionToPlusZ() {
        var g = SeededGenerator(seed: 3)
        var dirs = (0..<200).map { _ in TS.gaussianVector(&g) * 2.5 }
        dirs += [SIMD3(0, 0, 1), SIMD3(0, 0, -3), SIMD3(1e-12, 0, 1), SIMD3(0, -1e-14, -1),
                 SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(-1, 0, 0), SIMD3(1e-300, 1e-300, 1)]
        for d in dirs {
            let r = Rotation.aligning(d)
            assertOrthogonalProper(r)
            let z = r * (d / (d * d).sum().squareRoot())
            XCTAssertLessThan(TS.maxAbsDiff([z.x, z.y, z.z], [0, 0, 1]), 1e-14, "\(d)")
        }
        XCTAssertEqual(Rotation.aligning(SIMD3(0, 0, 5)), .identity)
        XCTAssertEqual(Rotation.aligning(.zero), .identity)
        XCTAssertEqual(Rotation.aligning(SIMD3(0, 0, -1)).maxDifference(Rotation(rowMajor: [-1, 0, 0, 0, 1, 0, 0, 0, -1])), 0)
        // it is Ry(−θ) Rz(−φ)
        let d = SIMD3<Double>(0.3, -0.5, 0.2)
        let theta = acos(d.z / (d * d).sum().squareRoot()), phi = atan2(d.y, d.x)
        XCTAssertLessThan(Rotation.aligning(d).maxDifference(Rotation.aboutY(-theta) * Rotation.aboutZ(-phi)), 1e-14)
    }
}
