import SE3Core
/// Real Wigner-D matrices in the se3 spherical-harmonic basis (see `SphericalHarmonics`).
///
/// Defining property (tested for l ≤ 12 and at 16, 20, 24): for every orthogonal `R` and every `x`,
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

    /// Throws `IrrepsError.unsupportedDegree` unless `0 ≤ lmax ≤ maxL` (for config-driven lmax).
    public static func validate(lmax: Int) throws {
        guard lmax >= 0 && lmax <= maxL else {
            throw IrrepsError.unsupportedDegree(lmax, max: maxL, what: "WignerD")
        }
    }

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
    ///
    /// Ivanic–Ruedenberg: `D^l_{mn} = u U + v V + w W`, each of `U, V, W` a combination of
    /// `P(i, a, n)` = `r_{i0} D^{l−1}_{a n}` (|n| < l),
    /// `r_{i1} D^{l−1}_{a, l−1} − r_{i,−1} D^{l−1}_{a, 1−l}` (n = l),
    /// `r_{i1} D^{l−1}_{a, 1−l} + r_{i,−1} D^{l−1}_{a, l−1}` (n = −l), with `r = D^1`.
    /// The `n`-dependence of `u, v, w` is the common factor `1/√den(n)`, applied once per row.
    public static func fill(lmax: Int, _ R: Rotation, into out: UnsafeMutablePointer<Double>) {
        require(lmax >= 0 && lmax <= maxL, "WignerD: lmax \(lmax) outside 0...\(maxL)")
        out[0] = 1
        if lmax == 0 { return }
        // D^1 in (y, z, x) order: index i ∈ {−1, 0, 1} ↔ axis {y, z, x}
        let o1 = out + 1
        o1[0] = R.r1.y; o1[1] = R.r1.z; o1[2] = R.r1.x
        o1[3] = R.r2.y; o1[4] = R.r2.z; o1[5] = R.r2.x
        o1[6] = R.r0.y; o1[7] = R.r0.z; o1[8] = R.r0.x
        if lmax == 1 { return }
        coefficients.uHat.withUnsafeBufferPointer { uh in
        coefficients.vHat.withUnsafeBufferPointer { vh in
        coefficients.wHat.withUnsafeBufferPointer { wh in
        coefficients.invSqrtDen.withUnsafeBufferPointer { isd in
            for l in 2...lmax {
                let prev = out + offset(l - 1), cur = out + offset(l)
                let dp = 2 * l - 1, d = 2 * l + 1
                let base = l * l + l
                for m in -l...l {
                    let row = cur + (m + l) * d
                    for j in 0..<d { row[j] = 0 }
                    // row += c · P(i, a, ·)
                    @inline(__always) func addTerm(_ i: Int, _ a: Int, _ c: Double) {
                        let ri = o1 + (i + 1) * 3           // r(i, −1), r(i, 0), r(i, 1)
                        let src = prev + (a + l - 1) * dp   // D^{l−1}_{a, n}, n = 1−l ... l−1 at 0 ..< dp
                        let c0 = c * ri[1]
                        for k in 0..<dp { row[k + 1] += c0 * src[k] }
                        let first = src[0], last = src[dp - 1]
                        row[d - 1] += c * (ri[2] * last - ri[0] * first)
                        row[0] += c * (ri[2] * first + ri[0] * last)
                    }
                    let k = base + m
                    let uu = uh[k], vv = vh[k], ww = wh[k]
                    if uu != 0 { addTerm(0, m, uu) }
                    if m == 0 {
                        addTerm(1, 1, vv); addTerm(-1, -1, vv)
                    } else if m > 0 {
                        if m == 1 { addTerm(1, 0, vv * 2.0.squareRoot()) }
                        else { addTerm(1, m - 1, vv); addTerm(-1, 1 - m, -vv) }
                        if ww != 0 { addTerm(1, m + 1, ww); addTerm(-1, -m - 1, ww) }
                    } else {
                        if m == -1 { addTerm(-1, 0, vv * 2.0.squareRoot()) }
                        else { addTerm(1, m + 1, vv); addTerm(-1, -m - 1, vv) }
                        if ww != 0 { addTerm(1, m - 1, ww); addTerm(-1, 1 - m, -ww) }
                    }
                    for j in 0..<d { row[j] *= isd[base - l + j] }
                }
            }
        }}}}
    }

    /// Ivanic–Ruedenberg coefficients, factorised as `u = û(l,m)/√den(l,n)` etc., with
    /// `den = (l+n)(l−n)` for `|n| < l` and `2l(2l−1)` for `|n| = l`;
    /// `û = √((l+m)(l−m))`, `v̂ = ½ √((1+δ_{m0})(l+|m|−1)(l+|m|)) (1 − 2δ_{m0})`,
    /// `ŵ = −½ √((l−|m|−1)(l−|m|)) (1 − δ_{m0})`. All stored at the SH index `l² + l + m` (or `+ n`).
    struct Coefficients: Sendable {
        var uHat: [Double], vHat: [Double], wHat: [Double], invSqrtDen: [Double]
        init(maxL: Int) {
            let n = (maxL + 1) * (maxL + 1)
            uHat = [Double](repeating: 0, count: n); vHat = uHat; wHat = uHat; invSqrtDen = uHat
            for l in 0...maxL {
                for m in -l...l {
                    let k = l * l + l + m, am = abs(m)
                    let d0 = m == 0 ? 1.0 : 0.0
                    uHat[k] = Double((l + m) * (l - m)).squareRoot()
                    vHat[k] = 0.5 * ((1 + d0) * Double((l + am - 1) * (l + am))).squareRoot() * (1 - 2 * d0)
                    wHat[k] = m == 0 ? 0 : -0.5 * Double((l - am - 1) * (l - am)).squareRoot()
                    let den = abs(m) < l ? (l + m) * (l - m) : 2 * l * (2 * l - 1)
                    invSqrtDen[k] = den > 0 ? 1 / Double(den).squareRoot() : 0
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
        require(out.count >= bs * directions.count, "WignerD: output of \(out.count) values, need \(bs * directions.count)")
        guard let o = out.baseAddress else { return }
        for e in 0..<directions.count { fill(lmax: lmax, Rotation.aligning(directions[e]), into: o + e * bs) }
    }

    /// The full `dim × dim` (row-major) representation matrix of `irreps` for `R` in se3's feature
    /// layout (`Irreps`: component `m` of channel `u` of entry `i` at `offsets[i] + (m + l)·mul + u`):
    /// `D^l` acts on the components of each channel. For improper `R` each irrep uses its own
    /// parity: `D(R) = p · D^l(−R)`.
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
            let o = offset(l), mul = e.mul
            for u in 0..<mul {
                for i in 0..<d { for j in 0..<d {
                    out[(start + i * mul + u) * dim + start + j * mul + u] = sign * blocks.storage[o + i * d + j]
                } }
            }
            start += mul * d
        }
        return out
    }
}
