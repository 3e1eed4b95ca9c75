import XCTest
import SE3Math
import SE3Tensor
import SE3Layers

/// eSCN's building blocks: edge frames, the rotations into them and back, SO(2) convolutions
/// (seed eq. 14–16), sphere grids.
final class EdgeFrameTests: XCTestCase {
    func testLayoutRows() {
        let a = EdgeFrameLayout(lmax: 3, mmax: 2)
        XCTAssertEqual(a.count, 4 + 2 * 3 + 2 * 2)
        XCTAssertEqual(a.rows(m: 0), 0..<4)
        XCTAssertEqual(a.rows(m: 1), 4..<7)
        XCTAssertEqual(a.rows(m: -1), 7..<10)
        XCTAssertEqual(a.rows(m: 2), 10..<12)
        XCTAssertEqual(a.rows(m: -2), 12..<14)
        for m in -2...2 { for r in a.rows(m: m) { XCTAssertEqual(Int(a.order[r]), m) } }
        XCTAssertEqual(Array(a.degree[10..<12]), [2, 3])
        XCTAssertEqual(EdgeFrameLayout(lmax: 2, mmax: 2).count, 9)
    }

    /// Rotating into the frame and back with every order is the identity on each edge's source
    /// features; with `mmax < lmax` it removes exactly the `|m| > mmax` components of the frame.
    func testRotateAndRotateBack() throws {
        var g = SeededGenerator(seed: 111)
        let L = 3, C = 2, N = 3
        let v = LT.randomVectors(4, &g) + [SIMD3(0, 0, 1.3), SIMD3(0, 0, -0.8)]      // the poles too
        let E = v.count
        let src = (0..<E).map { Int32($0 % N) }, dst = (0..<E).map { Int32(E - 1 - $0) }
        let x = LT.randomFeatures(N, lmax: L, channels: C, &g)
        let tape = Tape<Double>()
        let d = EdgeFrames.rotations(tape.constant(LT.vectorTensor(v)), lmax: L)
        let full = EdgeFrameLayout(lmax: L, mmax: L)
        let back = EdgeFrames.rotateBack(EdgeFrames.rotate(tape.constant(x), rotations: d, rows: src, layout: full),
                                         rotations: d, destinations: (0..<E).map(Int32.init), nodeCount: E, layout: full, scale: 1)
        for e in 0..<E { for i in 0..<((L + 1) * (L + 1) * C) {
            XCTAssertEqual(back.value.scalars[e * (L + 1) * (L + 1) * C + i], x.scalars[Int(src[e]) * (L + 1) * (L + 1) * C + i], accuracy: 1e-13)
        } }
        // the frame maps Y(v̂) to √(2l+1) on m = 0 (eq. 14)
        let sh = Tensor<Double>(shape: [E, (L + 1) * (L + 1), 1], scalars: SphericalHarmonics.evaluate(lmax: L, vectors: v))
        let inFrame = EdgeFrames.rotate(tape.constant(sh), rotations: d, rows: (0..<E).map(Int32.init), layout: full).value
        for e in 0..<E { for r in 0..<full.count {
            let l = Double(full.degree[r]), expected = full.order[r] == 0 ? (2 * l + 1).squareRoot() : 0
            XCTAssertEqual(inFrame[e, r, 0], expected, accuracy: 1e-12)
        } }
        // mmax < lmax: back(rotate(x)) = x minus its |m| > mmax frame components
        let reduced = EdgeFrameLayout(lmax: L, mmax: 1)
        let r = EdgeFrames.rotate(tape.constant(x), rotations: d, rows: src, layout: reduced)
        let f = EdgeFrames.rotate(tape.constant(x), rotations: d, rows: src, layout: full).value
        var kept = Tensor<Double>(zeros: [E, full.count, C])
        for e in 0..<E { for row in 0..<full.count where abs(full.order[row]) <= 1 { for c in 0..<C { kept[e, row, c] = f[e, row, c] } } }
        let expected = EdgeFrames.rotateBack(tape.constant(kept), rotations: d, destinations: dst, nodeCount: E, layout: full, scale: 0.5).value
        let got = EdgeFrames.rotateBack(r, rotations: d, destinations: dst, nodeCount: E, layout: reduced, scale: 0.5).value
        XCTAssertLessThan(LT.relDiff(got, expected), 1e-13)
        XCTAssertGreaterThan(LT.relDiff(got, EdgeFrames.rotateBack(EdgeFrames.rotate(tape.constant(x), rotations: d, rows: src, layout: full),
                                                                   rotations: d, destinations: dst, nodeCount: E, layout: full, scale: 0.5).value), 1e-3)
    }

    /// Gradients of the rotations with respect to features and to edge vectors (through `D(R_e)`).
    func testRotationGradients() throws {
        var g = SeededGenerator(seed: 112)
        let L = 3, C = 2, N = 3, E = 5
        let v = LT.randomVectors(E, &g)
        let src: [Int32] = [0, 1, 2, 0, 1], dst: [Int32] = [1, 2, 0, 2, 2]
        let x = LT.randomFeatures(N, lmax: L, channels: C, &g)
        let layout = EdgeFrameLayout(lmax: L, mmax: 2)
        let probe = Tensor<Double>.randomNormal(shape: [E, layout.count, C], using: &g)
        let err = GradientCheck.check(inputs: [x, LT.vectorTensor(v)]) { _, vs in
            let d = EdgeFrames.rotations(vs[1], lmax: L)
            return LT.probe(EdgeFrames.rotate(vs[0], rotations: d, rows: src, layout: layout), probe)
        }
        XCTAssertLessThan(err, 1e-7)
        let z = Tensor<Double>.randomNormal(shape: [E, layout.count, C], using: &g)
        let probe2 = LT.randomFeatures(N, lmax: L, channels: C, &g)
        let err2 = GradientCheck.check(inputs: [z, LT.vectorTensor(v)]) { _, vs in
            let d = EdgeFrames.rotations(vs[1], lmax: L)
            return LT.probe(EdgeFrames.rotateBack(vs[0], rotations: d, destinations: dst, nodeCount: N, layout: layout, scale: 0.7), probe2)
        }
        XCTAssertLessThan(err2, 1e-7)
    }

    /// `fromGrid · toGrid = I` on node and edge-frame coefficients; the activation's gradient;
    /// with enough longitudes the edge-frame activation commutes with rolls to round-off, and with
    /// a fine grid the node activation is rotation-equivariant to within a small error.
    func testSphereGrids() throws {
        var g = SeededGenerator(seed: 117)
        for (coefficients, lat, lon) in [(SphereGrid.nodeCoefficients(lmax: 3), 8, 9),
                                         (SphereGrid.edgeCoefficients(EdgeFrameLayout(lmax: 4, mmax: 2)), 10, 5)] {
            let grid = try SphereGrid(coefficients: coefficients, latitudes: lat, longitudes: lon)
            let K = coefficients.count, P = grid.points
            for i in 0..<K { for j in 0..<K {
                var s = 0.0
                for p in 0..<P { s += grid.fromGrid[i * P + p] * grid.toGrid[p * K + j] }
                XCTAssertEqual(s, i == j ? 1 : 0, accuracy: 1e-12)
            } }
            let x = Tensor<Double>.randomNormal(shape: [3, K, 2], using: &g)
            let probe = Tensor<Double>.randomNormal(shape: [3, K, 2], using: &g)
            XCTAssertLessThan(GradientCheck.check(inputs: [x]) { _, v in LT.probe(grid.activation(v[0]), probe) }, 1e-7)
            let t = Tape<Double>()
            let round = grid.coefficients(of: grid.values(t.constant(x))).value
            XCTAssertLessThan(LT.relDiff(round, x), 1e-12)
        }
        // rolls of the edge frame: exact up to aliasing, which vanishes with many longitudes
        let layout = EdgeFrameLayout(lmax: 4, mmax: 2)
        let x = Tensor<Double>.randomNormal(shape: [2, layout.count, 3], using: &g)
        func rollError(_ lon: Int) throws -> Double {
            let grid = try SphereGrid(coefficients: SphereGrid.edgeCoefficients(layout), latitudes: 10, longitudes: lon)
            let t = Tape<Double>()
            func roll(_ a: Tensor<Double>, _ alpha: Double) -> Tensor<Double> {
                var out = a
                for e in 0..<2 { for m in 1...2 {
                    let cp = Foundation.cos(Double(m) * alpha), sp = Foundation.sin(Double(m) * alpha)
                    for (rp, rm) in zip(layout.rows(m: m), layout.rows(m: -m)) { for c in 0..<3 {
                        out[e, rp, c] = cp * a[e, rp, c] - sp * a[e, rm, c]
                        out[e, rm, c] = sp * a[e, rp, c] + cp * a[e, rm, c]
                    } }
                } }
                return out
            }
            let y = grid.activation(t.constant(x)).value, yr = grid.activation(t.constant(roll(x, 0.4))).value
            return LT.relDiff(yr, roll(y, 0.4))
        }
        // measured: 0.42 (5 longitudes, fairchem's default here), 1.1e-5 (20), 4e-16 (80), 5e-16 (160)
        let errors = try [5, 20, 80, 160].map(rollError)
        XCTAssertGreaterThan(errors[0], 1e-2, "the default resolution aliases")
        XCTAssertLessThan(errors[1], 1e-3 * errors[0], "falls with the resolution")
        XCTAssertLessThan(errors[2], 1e-13)
        XCTAssertLessThan(errors[3], 1e-13)
    }
}
