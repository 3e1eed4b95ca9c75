import XCTest
import SE3Math
import SE3Tensor
import SE3Layers

final class EdgeGeometryTests: XCTestCase {
    func testLengthsAndHarmonics() throws {
        var g = SeededGenerator(seed: 61)
        let v = LT.randomVectors(6, &g) + [SIMD3(0, 0, 0)]
        let geo = try EdgeGeometry(vectors: v, lmax: 3)
        XCTAssertEqual(geo.count, 7)
        XCTAssertEqual(geo.components, 16)
        for e in 0..<7 {
            XCTAssertEqual(geo.lengths[e], (v[e] * v[e]).sum().squareRoot(), accuracy: 1e-15)
            XCTAssertEqual(Array(geo.sphericalHarmonics[e * 16..<(e + 1) * 16]), SphericalHarmonics.evaluate(lmax: 3, v[e]))
        }
        let t = geo.shTensor(as: Float.self)
        XCTAssertEqual(t.shape, [7, 16])
        XCTAssertEqual(t[0, 2], Float(3.0.squareRoot() * v[0].z / geo.lengths[0]), accuracy: 1e-6)
        let tape = Tape<Double>()
        XCTAssertFalse(geo.sh(on: tape).requiresGrad)
        XCTAssertThrowsError(try EdgeGeometry(vectors: [SIMD3(.nan, 0, 0)], lmax: 2)) { e in XCTAssertTrue("\(e)".contains("vectors[0]")) }
        XCTAssertThrowsError(try EdgeGeometry(vectors: v, lmax: -1))
    }

    func testDifferentiableHarmonicsAndLengths() throws {
        var g = SeededGenerator(seed: 62)
        let v = LT.randomVectors(5, &g)
        let x = Tensor<Double>(shape: [5, 3], scalars: v.flatMap { [$0.x, $0.y, $0.z] })
        let tape = Tape<Double>()
        let y = EdgeGeometry.sphericalHarmonics(of: tape.constant(x), lmax: 3)
        XCTAssertEqual(y.value, LT.sh(v, lmax: 3))
        let probe = Tensor<Double>.randomNormal(shape: [5, 16], using: &g)
        XCTAssertLessThan(GradientCheck.check(inputs: [x]) { _, vv in
            LT.probe(EdgeGeometry.sphericalHarmonics(of: vv[0], lmax: 3), probe)
        }, 1e-7)
        let probeR = Tensor<Double>.randomNormal(shape: [5], using: &g)
        XCTAssertLessThan(GradientCheck.check(inputs: [x]) { _, vv in LT.probe(EdgeGeometry.lengths(of: vv[0]), probeR) }, 1e-7)
    }

    func testHarmonicsRotateWithWignerDAndInvert() throws {
        var g = SeededGenerator(seed: 63)
        let v = LT.randomVectors(4, &g)
        let base = try EdgeGeometry(vectors: v, lmax: 3).shTensor(as: Double.self)
        for R in LT.rotations(seed: 64) {
            let rotated = try EdgeGeometry(vectors: v.map { R * $0 }, lmax: 3).shTensor(as: Double.self)
            XCTAssertLessThan(LT.relDiff(rotated, LT.rotateSH(base, lmax: 3, R)), 1e-12)
        }
        let inverted = try EdgeGeometry(vectors: v.map { -$0 }, lmax: 3).shTensor(as: Double.self)
        for e in 0..<4 { for l in 0...3 { for i in l * l..<(l + 1) * (l + 1) {
            XCTAssertEqual(inverted[e, i], (l % 2 == 0 ? 1 : -1) * base[e, i], accuracy: 1e-13)
        } } }
    }
}
