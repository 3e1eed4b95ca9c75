import XCTest
import SE3Math

final class ClebschGordanTests: XCTestCase {
    static let lmax = 10

    static func triples(_ lmax: Int) -> [(Int, Int, Int)] {
        var t: [(Int, Int, Int)] = []
        for l1 in 0...lmax { for l2 in 0...lmax { for l3 in abs(l1 - l2)...min(l1 + l2, lmax) { t.append((l1, l2, l3)) } } }
        return t
    }

    func testTextbookComplexValues() {
        // ⟨1 1; 1 −1 | 0 0⟩ = 1/√3, ⟨1 0; 1 0 | 2 0⟩ = √(2/3), ⟨1 1; 1 0 | 1 1⟩ = 1/√2,
        // ⟨1 0; 1 0 | 1 0⟩ = 0, ⟨2 2; 2 −2 | 0 0⟩ = 1/√5, ⟨j j; j' j' | j+j' j+j'⟩ = 1
        XCTAssertEqual(ClebschGordan.complex(l1: 1, m1: 1, l2: 1, m2: -1, l3: 0, m3: 0), 1 / 3.0.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(ClebschGordan.complex(l1: 1, m1: 0, l2: 1, m2: 0, l3: 2, m3: 0), (2.0 / 3).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(ClebschGordan.complex(l1: 1, m1: 1, l2: 1, m2: 0, l3: 1, m3: 1), 1 / 2.0.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(ClebschGordan.complex(l1: 1, m1: 0, l2: 1, m2: 0, l3: 1, m3: 0), 0)
        XCTAssertEqual(ClebschGordan.complex(l1: 2, m1: 2, l2: 2, m2: -2, l3: 0, m3: 0), 1 / 5.0.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(ClebschGordan.complex(l1: 7, m1: 7, l2: 5, m2: 5, l3: 12, m3: 12), 1, accuracy: 1e-15)
        XCTAssertEqual(ClebschGordan.complex(l1: 1, m1: 1, l2: 1, m2: 1, l3: 1, m3: 1), 0) // M ≠ m1 + m2
    }

    func testComplexOrthogonalityAtHighDegree() {
        // Σ_{m1} ⟨l1 m1; l2 M−m1 | L M⟩ ⟨l1 m1; l2 M−m1 | L' M⟩ = δ_{L L'}
        for (l1, l2) in [(10, 10), (12, 9), (11, 12)] {
            for M in [0, 3, -7] {
                for L in max(abs(l1 - l2), abs(M))...(l1 + l2) {
                    for L2 in L...min(L + 3, l1 + l2) {
                        var s = 0.0
                        for m1 in -l1...l1 {
                            s += ClebschGordan.complex(l1: l1, m1: m1, l2: l2, m2: M - m1, l3: L, m3: M)
                               * ClebschGordan.complex(l1: l1, m1: m1, l2: l2, m2: M - m1, l3: L2, m3: M)
                        }
                        XCTAssertEqual(s, L == L2 ? 1 : 0, accuracy: 1e-14, "\(l1) \(l2) \(L) \(L2) \(M)")
                    }
                }
            }
        }
    }

    func testRealBlocksAreOrthonormal() {
        var worst = 0.0
        for (l1, l2, l3) in Self.triples(12) {
            let b = ClebschGordan.block(l1: l1, l2: l2, l3: l3)
            let d12 = (2 * l1 + 1) * (2 * l2 + 1), d3 = 2 * l3 + 1
            XCTAssertEqual(b.values.count, d12 * d3)
            // Gram matrix over m3 via the sparse entries
            var gram = [Double](repeating: 0, count: d3 * d3)
            var col = [[(Int, Double)]](repeating: [], count: d12)
            for e in b.nonZero { col[e.i1 * (2 * l2 + 1) + e.i2].append((e.i3, e.value)) }
            for c in col { for (a, va) in c { for (bb, vb) in c { gram[a * d3 + bb] += va * vb } } }
            worst = max(worst, TS.maxAbsDiff(gram, TS.identity(d3)))
        }
        XCTAssertLessThan(worst, 1e-12)
    }

    /// Σ_{l3, m3} C^{l3 m3}_{m1 m2} C^{l3 m3}_{m1' m2'} = δ_{m1 m1'} δ_{m2 m2'}: the projectors
    /// Σ_{m3} C C onto each l3 add up to the identity on the (2l1+1)(2l2+1) product space.
    func testProjectorsAreComplete() {
        for (l1, l2) in [(0, 3), (1, 1), (2, 3), (4, 4), (7, 5), (10, 10)] {
            let d2 = 2 * l2 + 1, n = (2 * l1 + 1) * d2
            var sum = [Double](repeating: 0, count: n * n)
            for l3 in abs(l1 - l2)...(l1 + l2) {
                let b = ClebschGordan.block(l1: l1, l2: l2, l3: l3)
                var proj = [Double](repeating: 0, count: n * n)
                for e in b.nonZero { for f in b.nonZero where f.i3 == e.i3 {
                    proj[(e.i1 * d2 + e.i2) * n + f.i1 * d2 + f.i2] += e.value * f.value
                } }
                // idempotent with trace 2l3 + 1
                XCTAssertEqual((0..<n).reduce(0) { $0 + proj[$1 * n + $1] }, Double(2 * l3 + 1), accuracy: 1e-11)
                if n <= 49 { XCTAssertLessThan(TS.maxAbsDiff(TS.matMul(proj, proj, n), proj), 1e-12) }
                for i in 0..<(n * n) { sum[i] += proj[i] }
            }
            XCTAssertLessThan(TS.maxAbsDiff(sum, TS.identity(n)), 1e-12, "\(l1) \(l2)")
        }
    }

    func testSelectionRulesAndExactZeros() {
        XCTAssertTrue(ClebschGordan.isAllowed(2, 3, 5))
        XCTAssertTrue(ClebschGordan.isAllowed(l1: 2, l2: 3, l3: 1))
        XCTAssertFalse(ClebschGordan.isAllowed(2, 3, 6))
        XCTAssertFalse(ClebschGordan.isAllowed(5, 1, 3))
        for (l1, l2, l3) in [(2, 3, 6), (5, 1, 3), (0, 2, 1), (4, 4, 9)] {
            let b = ClebschGordan.block(l1: l1, l2: l2, l3: l3)
            XCTAssertTrue(b.isZero)
            XCTAssertEqual(b.values.count, (2 * l1 + 1) * (2 * l2 + 1) * (2 * l3 + 1))
            XCTAssertTrue(b.values.allSatisfy { $0 == 0 })
        }
        var smallest = Double.infinity
        for (l1, l2, l3) in Self.triples(Self.lmax) {
            let b = ClebschGordan.block(l1: l1, l2: l2, l3: l3)
            XCTAssertFalse(b.isZero)
            for e in b.nonZero {
                smallest = min(smallest, abs(e.value))
                let (m1, m2, m3) = (abs(e.i1 - l1), abs(e.i2 - l2), abs(e.i3 - l3))
                // real-basis rule: |m3| ∈ {|m1| + |m2|, ||m1| − |m2||}
                XCTAssertTrue(m3 == m1 + m2 || m3 == abs(m1 - m2), "\(l1) \(l2) \(l3) \(e)")
                XCTAssertEqual(b[e.i1 - l1, e.i2 - l2, e.i3 - l3], e.value)
            }
        }
        // no round-off residue masquerades as a coefficient
        XCTAssertGreaterThan(smallest, 1e-8)
    }

    func testTrivialCouplings() {
        for l in 0...Self.lmax {
            let a = ClebschGordan.block(l1: 0, l2: l, l3: l), z = ClebschGordan.block(l1: l, l2: l, l3: 0)
            let c = ClebschGordan.block(l1: l, l2: 0, l3: l)
            for m in -l...l { for n in -l...l {
                XCTAssertEqual(a[0, m, n], m == n ? 1 : 0, accuracy: 1e-14)
                XCTAssertEqual(c[m, 0, n], m == n ? 1 : 0, accuracy: 1e-14)
                XCTAssertEqual(z[m, n, 0], m == n ? 1 / Double(2 * l + 1).squareRoot() : 0, accuracy: 1e-14)
            } }
        }
    }

    /// D^{l3}(R) C(x, y) = C(D^{l1}(R) x, D^{l2}(R) y) for random x, y, R, all triples l ≤ 10.
    func testEquivariance() {
        var g = SeededGenerator(seed: 31)
        let r = Rotation.random(using: &g)
        let d = WignerD.blockDiagonal(lmax: Self.lmax, r)
        var worst = 0.0
        for (l1, l2, l3) in Self.triples(Self.lmax) {
            let b = ClebschGordan.block(l1: l1, l2: l2, l3: l3)
            let x = TS.gaussianArray(2 * l1 + 1, &g), y = TS.gaussianArray(2 * l2 + 1, &g)
            let lhs = d.apply(l: l3, b.couple(x, y))
            let rhs = b.couple(d.apply(l: l1, x), d.apply(l: l2, y))
            worst = max(worst, TS.maxAbsDiff(lhs, rhs))
        }
        XCTAssertLessThan(worst, 1e-10)
    }

    /// Ties the CG basis to the harmonics without Wigner-D: for l1 + l2 + l3 even,
    /// C(Y^{l1}(x), Y^{l2}(x)) = κ Y^{l3}(x) with a constant κ ≠ 0 independent of x.
    func testCouplingHarmonicsGivesHarmonics() {
        var g = SeededGenerator(seed: 32)
        let pts = (0..<4).map { _ in SphericalHarmonics.evaluate(lmax: 8, TS.gaussianVector(&g)) }
        for (l1, l2, l3) in Self.triples(8) where (l1 + l2 + l3) % 2 == 0 {
            let b = ClebschGordan.block(l1: l1, l2: l2, l3: l3)
            var kappa: Double?
            for y in pts {
                let z = b.couple(TS.shBlock(y, l1), TS.shBlock(y, l2)), y3 = TS.shBlock(y, l3)
                let k = zip(z, y3).reduce(0) { $0 + $1.0 * $1.1 } / Double(2 * l3 + 1)
                XCTAssertLessThan(TS.maxAbsDiff(z, y3.map { k * $0 }), 1e-11, "\(l1) \(l2) \(l3)")
                if let k0 = kappa { XCTAssertEqual(k, k0, accuracy: 1e-11) } else { kappa = k }
            }
            XCTAssertGreaterThan(abs(kappa ?? 0), 1e-3)
        }
    }

    func testCacheIsThreadSafeAndDeterministic() {
        let triples = Self.triples(6)
        var results = [[Double]](repeating: [], count: triples.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: triples.count) { i in
            let (a, b, c) = triples[i]
            let v = ClebschGordan.block(l1: a, l2: b, l3: c).values
            lock.lock(); results[i] = v; lock.unlock()
        }
        for (i, t) in triples.enumerated() {
            XCTAssertEqual(results[i], ClebschGordan.block(l1: t.0, l2: t.1, l3: t.2).values)
        }
    }
}
