#if canImport(Foundation)
import Foundation
#endif

/// Real-basis Clebsch–Gordan coefficients in the se3 spherical-harmonic basis.
///
/// Definition: with the unitary change of basis `Y_real = U^l Y_complex` (complex SH with the
/// Condon–Shortley phase),
///
///     m > 0:  Y_{l,m}  = ((−1)^m Y_l^m + Y_l^{−m}) / √2
///             Y_{l,−m} = i (Y_l^{−m} − (−1)^m Y_l^m) / √2
///             Y_{l,0}  = Y_l^0
///
/// the real coefficients are
///
///     C^{(l3,m3)}_{(l1,m1)(l2,m2)} = κ · Σ_{μ1 μ2 μ3} U^{l3}_{m3 μ3} ⟨l1 μ1; l2 μ2 | l3 μ3⟩ conj(U^{l1}_{m1 μ1}) conj(U^{l2}_{m2 μ2})
///
/// where the global phase `κ ∈ {±1, ±i}` makes the block real and its first non-zero entry
/// (lexicographic in `(m1, m2, m3)`) positive. Properties (tested):
///
/// * equivariance: `Σ C^{m3}_{m1 m2} (D^{l1} x)_{m1} (D^{l2} y)_{m2} = (D^{l3} z)_{m3}` with `z = C(x, y)`;
/// * orthonormality ("CG normalisation", **not** e3nn's unit-Frobenius `wigner_3j`):
///   `Σ_{m1 m2} C^{m3}_{m1 m2} C^{m3'}_{m1 m2} = δ_{m3 m3'}`, so `‖C‖_F² = 2l3 + 1`
///   (`C = √(2l3+1) · w3j_e3nn` up to sign and basis);
/// * non-zero only if `|l1 − l2| ≤ l3 ≤ l1 + l2` (parity is not involved here);
/// * `l1 = 0`: `C^{m3}_{0 m2} = δ_{m2 m3}`;  `l3 = 0`: `C^{0}_{m1 m2} = δ_{m1 m2} / √(2l1+1)`;
/// * `m2 = 0`: `C^{(l3,m3)}_{(l1,m1)(l2,0)} ≠ 0` only for `m1 = ±m3` (eSCN, seed eq. 15).
///
/// Complex coefficients are evaluated exactly (integer arithmetic) and rounded once, so the
/// real blocks are accurate to a few ulps for any degree. Blocks are cached (thread-safe).
public enum ClebschGordan {
    /// Whether `|l1 − l2| ≤ l3 ≤ l1 + l2` (all degrees ≥ 0).
    @inlinable public static func isAllowed(_ l1: Int, _ l2: Int, _ l3: Int) -> Bool {
        l1 >= 0 && l2 >= 0 && l3 >= 0 && l3 >= abs(l1 - l2) && l3 <= l1 + l2
    }

    /// Label-style overload of `isAllowed(_:_:_:)`.
    @inlinable public static func isAllowed(l1: Int, l2: Int, l3: Int) -> Bool { isAllowed(l1, l2, l3) }

    /// The (cached) real block for `l1 ⊗ l2 → l3`; all zeros if the triangle rule fails.
    /// Degrees must be ≥ 0 (negative degrees give an empty zero block).
    public static func block(l1: Int, l2: Int, l3: Int) -> CGBlock {
        guard l1 >= 0, l2 >= 0, l3 >= 0 else { return CGBlock(l1: 0, l2: 0, l3: 0, values: [0]) }
        let key = (l1 << 40) | (l2 << 20) | l3
        if let b = cache.get(key) { return b }
        let b = compute(l1: l1, l2: l2, l3: l3)
        cache.set(key, b)
        return b
    }

    /// Computes (and caches) every block with `l1, l2, l3 ≤ lmax`.
    public static func precompute(lmax: Int) {
        guard lmax >= 0 else { return }
        for l1 in 0...lmax { for l2 in 0...lmax { for l3 in abs(l1 - l2)...min(l1 + l2, lmax) {
            _ = block(l1: l1, l2: l2, l3: l3)
        } } }
    }

    /// Standard complex Clebsch–Gordan coefficient `⟨l1 m1; l2 m2 | l3 m3⟩` (Condon–Shortley
    /// phase, real-valued), exact up to final rounding; zero when any selection rule fails.
    public static func complex(l1: Int, m1: Int, l2: Int, m2: Int, l3: Int, m3: Int) -> Double {
        ExactCG.complex(l1, m1, l2, m2, l3, m3, table: factorials(upTo: l1 + l2 + l3 + 1))
    }

    // MARK: - implementation

    final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var blocks: [Int: CGBlock] = [:]
        private var table: ExactCG.FactorialTable?
        func get(_ k: Int) -> CGBlock? { lock.lock(); defer { lock.unlock() }; return blocks[k] }
        func set(_ k: Int, _ b: CGBlock) { lock.lock(); blocks[k] = b; lock.unlock() }
        func factorials(upTo n: Int) -> ExactCG.FactorialTable {
            lock.lock(); defer { lock.unlock() }
            if let t = table, t.exps.count > n { return t }
            let t = ExactCG.FactorialTable(maxN: max(n, 64))
            table = t
            return t
        }
    }

    static let cache = Cache()

    static func factorials(upTo n: Int) -> ExactCG.FactorialTable { cache.factorials(upTo: n) }

    /// Phase of `U^l_{m μ}` as a Gaussian integer `(re, im)`; magnitude is `1/√2` for `m ≠ 0`.
    @inline(__always)
    static func uPhase(_ m: Int, _ mu: Int) -> (Int, Int) {
        if m == 0 { return (1, 0) }
        let k = abs(m)
        let sk = k % 2 == 0 ? 1 : -1
        if m > 0 { return mu == m ? (sk, 0) : (1, 0) }     // μ = ±k
        return mu == -k ? (0, 1) : (0, -sk)                // i, −i(−1)^k
    }

    static func compute(l1: Int, l2: Int, l3: Int) -> CGBlock {
        let d1 = 2 * l1 + 1, d2 = 2 * l2 + 1, d3 = 2 * l3 + 1
        var re = [Double](repeating: 0, count: d1 * d2 * d3)
        guard isAllowed(l1, l2, l3) else { return CGBlock(l1: l1, l2: l2, l3: l3, values: re) }
        var im = re
        let table = factorials(upTo: l1 + l2 + l3 + 1)
        // complex CG table over (μ1, μ2), μ3 = μ1 + μ2. The entries for negated m's are obtained
        // from the symmetry ⟨l1 −μ1; l2 −μ2 | l3 −μ3⟩ = (−1)^{l1+l2−l3} ⟨l1 μ1; l2 μ2 | l3 μ3⟩ so that
        // paired contributions cancel exactly in floating point.
        let flip: Double = (l1 + l2 - l3) % 2 == 0 ? 1 : -1
        var cc = [Double](repeating: 0, count: d1 * d2)
        for mu1 in -l1...l1 {
            for mu2 in -l2...l2 {
                let canonical = mu1 > 0 || (mu1 == 0 && mu2 >= 0)
                guard canonical else { continue }
                let v = ExactCG.complex(l1, mu1, l2, mu2, l3, mu1 + mu2, table: table)
                cc[(mu1 + l1) * d2 + (mu2 + l2)] = v
                cc[(-mu1 + l1) * d2 + (-mu2 + l2)] = flip * v
            }
        }
        let invSqrt2 = 1 / 2.0.squareRoot()
        for m1 in -l1...l1 {
            for m2 in -l2...l2 {
                for m3 in -l3...l3 {
                    var accR = 0.0, accI = 0.0
                    let mus1 = m1 == 0 ? [0] : [abs(m1), -abs(m1)]
                    let mus2 = m2 == 0 ? [0] : [abs(m2), -abs(m2)]
                    for mu1 in mus1 {
                        for mu2 in mus2 {
                            let mu3 = mu1 + mu2
                            guard abs(mu3) == abs(m3), abs(mu3) <= l3 else { continue }
                            let c = cc[(mu1 + l1) * d2 + (mu2 + l2)]
                            if c == 0 { continue }
                            // phase = U3[m3, μ3] · conj(U1[m1, μ1]) · conj(U2[m2, μ2])
                            let p3 = uPhase(m3, mu3), p1 = uPhase(m1, mu1), p2 = uPhase(m2, mu2)
                            let a = (p1.0, -p1.1), b = (p2.0, -p2.1)
                            let ab = (a.0 * b.0 - a.1 * b.1, a.0 * b.1 + a.1 * b.0)
                            let ph = (p3.0 * ab.0 - p3.1 * ab.1, p3.0 * ab.1 + p3.1 * ab.0)
                            accR += Double(ph.0) * c
                            accI += Double(ph.1) * c
                        }
                    }
                    var scale = 1.0
                    for m in [m1, m2, m3] where m != 0 { scale *= invSqrt2 }
                    let k = ((m1 + l1) * d2 + (m2 + l2)) * d3 + (m3 + l3)
                    re[k] = accR * scale
                    im[k] = accI * scale
                }
            }
        }
        // global phase: the block is purely real or purely imaginary
        let nr = re.reduce(0) { $0 + $1 * $1 }, ni = im.reduce(0) { $0 + $1 * $1 }
        var vals = nr >= ni ? re : im
        if let first = vals.first(where: { $0 != 0 }), first < 0 {
            for i in vals.indices { vals[i] = -vals[i] }
        }
        for i in vals.indices where vals[i] == 0 { vals[i] = 0 }   // drop −0
        return CGBlock(l1: l1, l2: l2, l3: l3, values: vals)
    }
}
