import XCTest
import SE3Math
import SE3Tensor
import SE3Layers

/// Shared helpers for the SE3Layers tests (Double, fixed seeds).
enum LT {
    static func randomFeatures(_ n: Int, lmax: Int, channels: Int, _ g: inout SeededGenerator) -> Tensor<Double> {
        Tensor<Double>.randomNormal(shape: [n, (lmax + 1) * (lmax + 1), channels], using: &g)
    }

    static func randomVectors(_ n: Int, _ g: inout SeededGenerator, minLength: Double = 0.5) -> [SIMD3<Double>] {
        (0..<n).map { _ in
            var v = SIMD3(g.nextGaussian(), g.nextGaussian(), g.nextGaussian())
            let r = (v * v).sum().squareRoot()
            if r < minLength { v *= minLength / max(r, 1e-3) }
            return v
        }
    }

    /// Random edges `s → d` among `nodes` nodes (self-loops allowed).
    static func randomEdges(_ e: Int, nodes: Int, _ g: inout SeededGenerator) -> (src: [Int32], dst: [Int32]) {
        ((0..<e).map { _ in Int32(Int.random(in: 0..<nodes, using: &g)) },
         (0..<e).map { _ in Int32(Int.random(in: 0..<nodes, using: &g)) })
    }

    /// `x'[n, l·, c] = D^l(R) x[n, l·, c]` for `[N, (lmax+1)², C]` features (natural parity
    /// for improper `R`).
    static func rotate(_ x: Tensor<Double>, lmax: Int, _ R: Rotation) -> Tensor<Double> {
        let N = x.shape[0], M = x.shape[1], C = x.shape[2]
        precondition(M == (lmax + 1) * (lmax + 1))
        let D = WignerD.blockDiagonal(lmax: lmax, R)
        var y = Tensor<Double>(zeros: x.shape)
        for n in 0..<N {
            for l in 0...lmax {
                for m in -l...l {
                    for k in -l...l {
                        let d = D[l, m, k]
                        for c in 0..<C {
                            y.scalars[(n * M + l * l + l + m) * C + c] += d * x.scalars[(n * M + l * l + l + k) * C + c]
                        }
                    }
                }
            }
        }
        return y
    }

    /// `[E, M]` harmonics rotated: `Y'[e] = D(R) Y[e]`.
    static func rotateSH(_ y: Tensor<Double>, lmax: Int, _ R: Rotation) -> Tensor<Double> {
        rotate(y.reshaped([y.shape[0], y.shape[1], 1]), lmax: lmax, R).reshaped(y.shape)
    }

    static func sh(_ vectors: [SIMD3<Double>], lmax: Int) -> Tensor<Double> {
        Tensor(shape: [vectors.count, (lmax + 1) * (lmax + 1)],
               scalars: SphericalHarmonics.evaluate(lmax: lmax, vectors: vectors))
    }

    /// `[E, 3]` tensor of vectors.
    static func vectorTensor(_ v: [SIMD3<Double>]) -> Tensor<Double> {
        Tensor(shape: [v.count, 3], scalars: v.flatMap { [$0.x, $0.y, $0.z] })
    }

    /// Edge harmonics and radial embedding of `vectors` as constants on `tape` (`EdgeGeometry`).
    static func edgeInputs(_ vectors: [SIMD3<Double>], lmax: Int, basis: any RadialBasis, envelope: PolynomialEnvelope,
                           tape: Tape<Double>) -> (sh: Variable<Double>, embedding: Variable<Double>) {
        let v = tape.constant(vectorTensor(vectors))
        return (EdgeGeometry.sphericalHarmonics(v, exact: vectors, lmax: lmax),
                EdgeGeometry.radialEmbedding(v, exact: vectors, basis: basis, envelope: envelope))
    }

    /// A few fixed-seed rotations: random proper ones, the inversion and random improper ones.
    static func rotations(seed: UInt64, proper: Int = 2, improper: Int = 1) -> [Rotation] {
        var g = SeededGenerator(seed: seed)
        var out: [Rotation] = (0..<proper).map { _ in Rotation.random(using: &g) }
        out.append(.inversion)
        out += (0..<improper).map { _ in -Rotation.random(using: &g) }
        return out
    }

    /// Σ x ⊙ probe (a scalar loss with a generic upstream gradient).
    static func probe(_ v: Variable<Double>, _ p: Tensor<Double>) -> Variable<Double> {
        sum(v * v.tape.constant(p))
    }

    /// Relative max difference `max|a − b| / max(1, max|b|)`.
    static func relDiff(_ a: Tensor<Double>, _ b: Tensor<Double>) -> Double {
        let scale = max(1, b.scalars.map { Swift.abs($0) }.max() ?? 0)
        return a.maxAbsDifference(b) / scale
    }
}

extension LT {
    /// Max error `|a − n| / max(1, |n|)` of the tape gradient w.r.t. `x` against central
    /// differences, for a scalar `f` built on a tape with `store` (parameters held fixed).
    static func inputGradientError(_ x: Tensor<Double>, store: ParameterStore<Double>, eps: Double = 1e-6,
                                   _ f: (Variable<Double>) -> Variable<Double>) -> Double {
        let saved = store.grads
        defer { store.grads = saved }
        let tape = Tape<Double>(store: store)
        let vx = tape.variable(x)
        tape.backward(f(vx))
        let analytic = tape.gradient(vx) ?? Tensor(zeros: x.shape)
        var worst = 0.0
        for i in 0..<x.count {
            var xp = x, xm = x
            xp.scalars[i] += eps; xm.scalars[i] -= eps
            let fp = f(LT.tape(store).constant(xp)).scalar
            let fm = f(LT.tape(store).constant(xm)).scalar
            let n = (fp - fm) / (2 * eps)
            worst = max(worst, abs(analytic.scalars[i] - n) / max(1, abs(n)))
        }
        return worst
    }
}

extension LT {
    /// Variables hold their tape `unowned`; tapes made inside one expression are kept alive here
    /// for the (short) life of the test process.
    nonisolated(unsafe) static var retainedTapes: [Tape<Double>] = []

    static func tape(_ store: ParameterStore<Double>? = nil) -> Tape<Double> {
        let t = Tape<Double>(store: store)
        retainedTapes.append(t)
        if retainedTapes.count > 256 { retainedTapes.removeFirst(128) }
        return t
    }
}
