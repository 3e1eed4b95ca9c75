import SE3Core
/// Real spherical harmonics `Y^l_m(x̂)` of a direction, `l = 0...lmax`, in the se3 basis.
///
/// Conventions (all of se3 — Clebsch–Gordan and Wigner-D — use this same basis):
///
/// * Polar axis `z`; `x̂ = x / |x|` = `(sinθ cosφ, sinθ sinφ, cosθ)`. The input need not be unit.
/// * Flat index of `(l, m)`, `m = −l...l`: `l² + l + m`; `(lmax + 1)²` values in total.
/// * Real basis, **no Condon–Shortley phase** (all `m > 0` harmonics are `+cos`, all `m < 0` are `+sin`):
///
///       Y_{l, m>0} = √2 · N_{l,m} · cos(mφ)   · P_l^m(cosθ)
///       Y_{l, 0}   =        N_{l,0} ·           P_l(cosθ)
///       Y_{l, m<0} = √2 · N_{l,|m|} · sin(|m|φ) · P_l^{|m|}(cosθ)
///
///   with `P_l^m(t) = (1 − t²)^{m/2} dᵐ/dtᵐ P_l(t)` (no `(−1)^m`) and the **component**
///   normalisation `N_{l,m} = √((2l + 1) (l − m)! / (l + m)!)`, so that
///   `Σ_m Y^l_m(x̂)² = 2l + 1` (e3nn `normalization="component"`, = √(4π) × orthonormal SH).
/// * Cartesian form actually evaluated (exact polynomials on the unit sphere, `x̂ = (x, y, z)`):
///
///       A_m + i B_m = (x + i y)^m,     Q_l^m(z) = dᵐ/dzᵐ P_l(z)
///       Y_{l, m≥0} = c_{l,m} Q_l^m(z) A_m,   Y_{l, −m} = c_{l,m} Q_l^m(z) B_m,   c = N (·√2 if m > 0)
///
///   using `Q_m^m = (2m − 1)!!`, `Q_{m+1}^m = (2m + 1) z Q_m^m`,
///   `(l − m) Q_l^m = (2l − 1) z Q_{l−1}^m − (l + m − 1) Q_{l−2}^m`.
/// * Low orders: `Y^0 = 1`, `Y^1 = √3 (y, z, x) / r` for `m = −1, 0, 1`.
/// * Parity: `Y^l(−x) = (−1)^l Y^l(x)`; rotation: `Y^l(R x) = D^l(R) Y^l(x)` (see `WignerD`).
/// * The zero vector has no direction: it maps to `Y^0 = 1` and `Y^{l>0} = 0`, gradient 0.
public enum SphericalHarmonics {
    /// Largest degree supported by the cached coefficient tables.
    public static let maxL = 40

    /// Throws `IrrepsError.unsupportedDegree` unless `0 ≤ lmax ≤ maxL`. Call this when `lmax`
    /// comes from a config file: the hot-path functions only `precondition` it.
    public static func validate(lmax: Int) throws {
        guard lmax >= 0 && lmax <= maxL else {
            throw IrrepsError.unsupportedDegree(lmax, max: maxL, what: "SphericalHarmonics")
        }
    }

    /// Flat index `l² + l + m` of `(l, m)`.
    @inlinable public static func index(l: Int, m: Int) -> Int { l * l + l + m }

    /// Number of values for degrees `0...lmax`: `(lmax + 1)²`.
    @inlinable public static func count(lmax: Int) -> Int { (lmax + 1) * (lmax + 1) }

    /// Per-(l, m ≥ 0) coefficient tables, triangular index `t = l (l + 1) / 2 + m`.
    @usableFromInline
    struct Tables: Sendable {
        /// `c_{l,m}` = N_{l,m} (· √2 for m > 0).
        var norm: [Double]
        /// Recurrence coefficients `(2l − 1)/(l − m)` and `(l + m − 1)/(l − m)` (l ≥ m + 2).
        var a: [Double]
        var b: [Double]
        /// `(2m − 1)!!` for m = 0...maxL.
        var doubleFactorial: [Double]

        init(maxL: Int) {
            let n = (maxL + 1) * (maxL + 2) / 2
            norm = [Double](repeating: 0, count: n)
            a = [Double](repeating: 0, count: n)
            b = [Double](repeating: 0, count: n)
            doubleFactorial = [Double](repeating: 1, count: maxL + 1)
            for m in 1...maxL { doubleFactorial[m] = doubleFactorial[m - 1] * Double(2 * m - 1) }
            for l in 0...maxL {
                for m in 0...l {
                    let t = l * (l + 1) / 2 + m
                    // (l − m)! / (l + m)! = 1 / Π_{k=l−m+1}^{l+m} k
                    var ratio = 1.0
                    if m > 0 { for k in (l - m + 1)...(l + m) { ratio /= Double(k) } }
                    var c = (Double(2 * l + 1) * ratio).squareRoot()
                    if m > 0 { c *= 2.0.squareRoot() }
                    norm[t] = c
                    if l >= m + 2 {
                        a[t] = Double(2 * l - 1) / Double(l - m)
                        b[t] = Double(l + m - 1) / Double(l - m)
                    }
                }
            }
        }
    }

    @usableFromInline static let tables = Tables(maxL: maxL)

    /// `(lmax + 1)²` harmonics of `v / |v|` (allocating convenience).
    public static func evaluate(lmax: Int, _ v: SIMD3<Double>) -> [Double] {
        [Double](unsafeUninitializedCapacity: count(lmax: lmax)) { buf, n in
            evaluate(lmax: lmax, v, into: buf)
            n = count(lmax: lmax)
        }
    }

    /// Hot path: writes the `(lmax + 1)²` harmonics of `v / |v|` into `out[0 ..< (lmax+1)²]`
    /// (no allocation). Requires `0 ≤ lmax ≤ maxL` and `out.count ≥ (lmax + 1)²`.
    public static func evaluate(lmax: Int, _ v: SIMD3<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        require(lmax >= 0 && lmax <= maxL && out.count >= count(lmax: lmax), "SphericalHarmonics.evaluate: lmax \(lmax) outside 0...\(maxL) or output of \(out.count) values, need \(count(lmax: lmax))")
        guard let o = out.baseAddress else { return }
        evaluate(lmax: lmax, v, into: o)
    }

    /// Pointer variant of `evaluate(lmax:_:into:)`.
    public static func evaluate(lmax: Int, _ v: SIMD3<Double>, into o: UnsafeMutablePointer<Double>) {
        let r2 = (v * v).sum()
        o[0] = 1
        if lmax == 0 { return }
        guard r2 > 0, r2.isFinite else {
            for i in 1..<count(lmax: lmax) { o[i] = 0 }
            return
        }
        let inv = 1 / r2.squareRoot()
        let x = v.x * inv, y = v.y * inv, z = v.z * inv
        tables.norm.withUnsafeBufferPointer { norm in
        tables.a.withUnsafeBufferPointer { ta in
        tables.b.withUnsafeBufferPointer { tb in
            var am = 1.0, bm = 0.0
            for m in 0...lmax {
                if m > 0 { (am, bm) = (am * x - bm * y, am * y + bm * x) }
                var q2 = 0.0
                var q1 = tables.doubleFactorial[m]            // Q_m^m
                var t = m * (m + 1) / 2 + m
                var c = norm[t] * q1
                var base = m * m + m
                if m == 0 { o[base] = c } else { o[base + m] = c * am; o[base - m] = c * bm }
                if m == lmax { break }
                var q = Double(2 * m + 1) * z * q1           // Q_{m+1}^m
                var l = m + 1
                while true {
                    t = l * (l + 1) / 2 + m
                    base = l * l + l
                    c = norm[t] * q
                    if m == 0 { o[base] = c } else { o[base + m] = c * am; o[base - m] = c * bm }
                    if l == lmax { break }
                    l += 1
                    q2 = q1; q1 = q
                    let tn = l * (l + 1) / 2 + m
                    q = ta[tn] * z * q1 - tb[tn] * q2
                }
            }
        }}}
    }

    /// Batched evaluation: `values[e · (lmax+1)² + l² + l + m] = Y^l_m(vectors[e])`.
    public static func evaluate(lmax: Int, vectors: [SIMD3<Double>]) -> [Double] {
        let n = count(lmax: lmax)
        return [Double](unsafeUninitializedCapacity: n * vectors.count) { buf, k in
            if let base = buf.baseAddress {
                for (e, v) in vectors.enumerated() { evaluate(lmax: lmax, v, into: base + e * n) }
            }
            k = n * vectors.count
        }
    }

    /// Batched evaluation in `Float` (computed in `Double`, rounded): writes
    /// `out[e · (lmax+1)² + l² + l + m]` for every `vectors[e]`. `out.count ≥ vectors.count · (lmax+1)²`.
    public static func evaluate(lmax: Int, vectors: UnsafeBufferPointer<SIMD3<Float>>,
                                into out: UnsafeMutableBufferPointer<Float>) {
        let n = count(lmax: lmax)
        require(lmax >= 0 && lmax <= maxL && out.count >= n * vectors.count, "SphericalHarmonics.evaluate: lmax \(lmax) outside 0...\(maxL) or output of \(out.count) values, need \(n * vectors.count)")
        withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { tmp in
            guard let t = tmp.baseAddress, let o = out.baseAddress else { return }
            for e in 0..<vectors.count {
                let v = vectors[e]
                evaluate(lmax: lmax, SIMD3<Double>(Double(v.x), Double(v.y), Double(v.z)), into: t)
                let dst = o + e * n
                for i in 0..<n { dst[i] = Float(t[i]) }
            }
        }
    }
}
