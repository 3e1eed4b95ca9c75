/// Real Wigner-D matrices in the se3 spherical-harmonic basis (see `SphericalHarmonics`).
///
/// Defining property (tested for l ≤ 12): for every orthogonal `R` and every `x`,
///
///     Y^l(R x) = D^l(R) Y^l(x),     D^l(R1 R2) = D^l(R1) D^l(R2),     D^l(Rᵀ) = D^l(R)ᵀ.
///
/// * `D^0 = [1]`; `D^1(R) = P R Pᵀ` with `P` the permutation `(x, y, z) → (y, z, x)`, i.e.
///   `D^1_{m n} = R_{a(m) a(n)}` with `a(−1) = y, a(0) = z, a(1) = x`.
/// * `l ≥ 2`: Ivanic–Ruedenberg recursion (J. Phys. Chem. 100, 6342 (1996), with the 1998
///   corrections), which builds `D^l` from `D^{l−1}` and `D^1`; cost `O((2l+1)²)` per degree,
///   no trigonometry, no Euler-angle singularities.
/// * Improper `R` (det < 0): `D^l(R) = p · D^l(−R)` with `p` the parity of the irrep.
///   `matrix(l:_:)` uses natural parity `p = (−1)^l` (so `Y^l(R x) = D^l(R) Y^l(x)` also for
///   improper `R`); `matrix(l:_:parity:)` lets the caller choose `p`.
public enum WignerD {
    /// Largest supported degree (coefficient tables are precomputed up to it).
    public static let maxL = 24

    /// `Σ_{l' < l} (2l' + 1)² = l (4l² − 1) / 3`.
    @inlinable public static func offset(_ l: Int) -> Int { l * (4 * l * l - 1) / 3 }

    /// Number of values of all blocks `0...lmax`: `offset(lmax + 1)`.
    @inlinable public static func blockSize(lmax: Int) -> Int { offset(lmax + 1) }

    /// `(2l+1)×(2l+1)` row-major `D^l(R)`; improper `R` use natural parity `(−1)^l`.
    public static func matrix(l: Int, _ R: Rotation) -> [Double] {
        matrix(l: l, R, parity: .natural(l))
    }

    /// `D^l(R)` for an irrep of parity `p`: `D^l(R)` for proper `R`, `p · D^l(−R)` for improper `R`.
    public static func matrix(l: Int, _ R: Rotation, parity: Parity) -> [Double] {
        let all = blockDiagonal(lmax: l, R, parity: { _ in parity })
        return all.matrix(l)
    }

    /// All blocks `D^0(R) ... D^lmax(R)`; improper `R` use natural parity `(−1)^l` per block.
    public static func blockDiagonal(lmax: Int, _ R: Rotation) -> WignerDBlocks {
        blockDiagonal(lmax: lmax, R, parity: { .natural($0) })
    }

    /// All blocks with a per-degree parity used when `R` is improper.
    public static func blockDiagonal(lmax: Int, _ R: Rotation, parity: (Int) -> Parity) -> WignerDBlocks {
        var storage = [Double](repeating: 0, count: blockSize(lmax: lmax))
        let improper = R.isImproper
        storage.withUnsafeMutableBufferPointer { fill(lmax: lmax, improper ? -R : R, into: $0.baseAddress!) }
        if improper {
            for l in 0...lmax where parity(l) == .odd {
                for i in offset(l) ..< offset(l + 1) { storage[i] = -storage[i] }
            }
        }
        return WignerDBlocks(lmax: lmax, storage: storage)
    }

    /// Hot path: writes the blocks `D^0 ... D^lmax` of a **proper** rotation `R` into
    /// `out[0 ..< blockSize(lmax:)]` (no allocation). `0 ≤ lmax ≤ maxL`.
    public static func fill(lmax: Int, _ R: Rotation, into out: UnsafeMutablePointer<Double>) {
        precondition(lmax >= 0 && lmax <= maxL)
        out[0] = 1
        if lmax == 0 { return }
        // D^1 in (y, z, x) order: index i ∈ {−1, 0, 1} ↔ axis {1, 2, 0}
        let ax = [1, 2, 0]
        let o1 = out + 1
        for i in 0..<3 { for j in 0..<3 { o1[i * 3 + j] = R[ax[i], ax[j]] } }
        if lmax == 1 { return }
        // r(i, j) = D^1_{i j}
        @inline(__always) func r(_ i: Int, _ j: Int) -> Double { o1[(i + 1) * 3 + (j + 1)] }
        coefficients.u.withUnsafeBufferPointer { tu in
        coefficients.v.withUnsafeBufferPointer { tv in
        coefficients.w.withUnsafeBufferPointer { tw in
            for l in 2...lmax {
                let prev = out + offset(l - 1), cur = out + offset(l)
                let dp = 2 * l - 1, d = 2 * l + 1
                @inline(__always) func M(_ a: Int, _ b: Int) -> Double { prev[(a + l - 1) * dp + (b + l - 1)] }
                @inline(__always) func P(_ i: Int, _ a: Int, _ b: Int) -> Double {
                    if b == l { return r(i, 1) * M(a, l - 1) - r(i, -1) * M(a, 1 - l) }
                    if b == -l { return r(i, 1) * M(a, 1 - l) + r(i, -1) * M(a, l - 1) }
                    return r(i, 0) * M(a, b)
                }
                let co = offset(l)
                for m in -l...l {
                    for n in -l...l {
                        let k = co + (m + l) * d + (n + l)
                        let uu = tu[k], vv = tv[k], ww = tw[k]
                        var s = 0.0
                        if uu != 0 { s += uu * P(0, m, n) }
                        if vv != 0 {
                            let V: Double
                            if m == 0 {
                                V = P(1, 1, n) + P(-1, -1, n)
                            } else if m > 0 {
                                V = m == 1 ? P(1, 0, n) * 2.0.squareRoot()
                                           : P(1, m - 1, n) - P(-1, 1 - m, n)
                            } else {
                                V = m == -1 ? P(-1, 0, n) * 2.0.squareRoot()
                                            : P(1, m + 1, n) + P(-1, -m - 1, n)
                            }
                            s += vv * V
                        }
                        if ww != 0 {
                            let W = m > 0 ? P(1, m + 1, n) + P(-1, -m - 1, n)
                                          : P(1, m - 1, n) - P(-1, 1 - m, n)
                            s += ww * W
                        }
                        cur[(m + l) * d + (n + l)] = s
                    }
                }
            }
        }}}
    }

    /// Ivanic–Ruedenberg coefficients `u, v, w` for every `(l, m, n)`, `l ≤ maxL`, stored with
    /// the block layout (`offset(l) + (m + l)(2l+1) + (n + l)`).
    struct Coefficients: Sendable {
        var u: [Double], v: [Double], w: [Double]
        init(maxL: Int) {
            let n = WignerD.offset(maxL + 1)
            u = [Double](repeating: 0, count: n); v = u; w = u
            guard maxL >= 2 else { return }
            for l in 2...maxL {
                let d = 2 * l + 1
                for m in -l...l {
                    for nn in -l...l {
                        let k = WignerD.offset(l) + (m + l) * d + (nn + l)
                        let den = Double(abs(nn) < l ? (l + nn) * (l - nn) : 2 * l * (2 * l - 1))
                        let am = abs(m)
                        let d0 = m == 0 ? 1.0 : 0.0
                        u[k] = (Double((l + m) * (l - m)) / den).squareRoot()
                        v[k] = 0.5 * ((1 + d0) * Double((l + am - 1) * (l + am)) / den).squareRoot() * (1 - 2 * d0)
                        w[k] = m == 0 ? 0 : -0.5 * (Double((l - am - 1) * (l - am)) / den).squareRoot()
                    }
                }
            }
        }
    }

    static let coefficients = Coefficients(maxL: maxL)

    /// eSCN edge frames (seed eq. 14–16): for each direction `r_e`, the blocks `D^l(R_e)` with
    /// `R_e = Rotation.aligning(r_e)` (so `R_e r̂_e = +z` and `D^l(R_e) Y^l(r̂_e) = √(2l+1) e_{m=0}`).
    public static func alignedToPolarAxis(directions: [SIMD3<Double>], lmax: Int) -> [WignerDBlocks] {
        directions.map { blockDiagonal(lmax: lmax, Rotation.aligning($0)) }
    }

    /// Flat variant: writes the blocks of edge `e` at `out[e · blockSize(lmax:) ...]`
    /// (`out.count ≥ directions.count · blockSize(lmax:)`; no allocation per edge).
    public static func alignedToPolarAxis(directions: UnsafeBufferPointer<SIMD3<Double>>, lmax: Int,
                                          into out: UnsafeMutableBufferPointer<Double>) {
        let bs = blockSize(lmax: lmax)
        precondition(out.count >= bs * directions.count)
        guard let o = out.baseAddress else { return }
        for e in 0..<directions.count { fill(lmax: lmax, Rotation.aligning(directions[e]), into: o + e * bs) }
    }

    /// The full `dim × dim` (row-major) representation matrix of `irreps` for `R`: block-diagonal
    /// with one `D^l` per irrep copy, in the `Irreps` feature layout. For improper `R` each
    /// irrep uses its own parity: `D(R) = p · D^l(−R)`.
    public static func irrepsMatrix(_ irreps: Irreps, _ R: Rotation) -> [Double] {
        let dim = irreps.dim
        var out = [Double](repeating: 0, count: dim * dim)
        guard dim > 0 else { return out }
        let improper = R.isImproper
        let blocks = blockDiagonal(lmax: max(irreps.lmax, 0), improper ? -R : R)
        var start = 0
        for e in irreps {
            let l = e.irrep.l, d = 2 * l + 1
            let sign: Double = improper ? e.irrep.p.value : 1
            let o = offset(l)
            for _ in 0..<e.mul {
                for i in 0..<d { for j in 0..<d {
                    out[(start + i) * dim + start + j] = sign * blocks.storage[o + i * d + j]
                } }
                start += d
            }
        }
        return out
    }
}
