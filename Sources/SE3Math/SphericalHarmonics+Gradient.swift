import SE3Core
extension SphericalHarmonics {
    /// Harmonics and their exact gradients `∂ Y^l_m(v / |v|) / ∂v` (one `SIMD3` per value).
    ///
    /// With `u = v / |v|` and the polynomial extension `G(u) = c_{l,m} Q_l^m(u_z) A_m(u_x, u_y)`
    /// (resp. `B_m` for `m < 0`), which equals `Y` on the unit sphere,
    ///
    ///     ∂Y/∂v = (I − u uᵀ) ∇G(u) / |v|,
    ///     ∂A_m/∂x =  m A_{m−1},  ∂A_m/∂y = −m B_{m−1},  ∂B_m/∂x = m B_{m−1},  ∂B_m/∂y = m A_{m−1},
    ///     ∂Q_l^m/∂z = Q_l^{m+1}   (Q_l^{l+1} = 0).
    ///
    /// The gradient is tangent to the sphere (`∂Y/∂v · v = 0`) and zero for `v = 0`.
    public static func evaluateWithGradient(lmax: Int, _ v: SIMD3<Double>)
        -> (values: [Double], gradient: [SIMD3<Double>]) {
        let n = count(lmax: lmax)
        var values = [Double](repeating: 0, count: n)
        var grads = [SIMD3<Double>](repeating: .zero, count: n)
        values.withUnsafeMutableBufferPointer { vb in
            grads.withUnsafeMutableBufferPointer { gb in
                evaluateWithGradient(lmax: lmax, v, values: vb, gradient: gb)
            }
        }
        return (values, grads)
    }

    /// In-place variant: writes `values[i]` and `gradient[i] = ∂values[i]/∂v` for
    /// `i < (lmax + 1)²` (no heap allocation).
    public static func evaluateWithGradient(lmax: Int, _ v: SIMD3<Double>,
                                            values: UnsafeMutableBufferPointer<Double>,
                                            gradient: UnsafeMutableBufferPointer<SIMD3<Double>>) {
        let n = count(lmax: lmax)
        require(lmax >= 0 && lmax <= maxL && values.count >= n && gradient.count >= n, "SphericalHarmonics.gradient: lmax \(lmax) outside 0...\(maxL) or buffers of \(values.count), \(gradient.count) values, need \(n)")
        guard let vo = values.baseAddress, let go = gradient.baseAddress else { return }
        _ = core(lmax: lmax, v, values: vo, gradient: go, upstream: nil)
    }

    /// Vector–Jacobian product for backpropagation: `Σ_i upstream[i] · ∂Y_i(v/|v|)/∂v`
    /// with `upstream.count ≥ (lmax + 1)²` (no heap allocation, no Jacobian materialised).
    public static func backward(lmax: Int, _ v: SIMD3<Double>,
                                upstream: UnsafeBufferPointer<Double>) -> SIMD3<Double> {
        require(lmax >= 0 && lmax <= maxL && upstream.count >= count(lmax: lmax), "SphericalHarmonics.backward: lmax \(lmax) outside 0...\(maxL) or upstream of \(upstream.count) values, need \(count(lmax: lmax))")
        guard let up = upstream.baseAddress else { return .zero }
        return core(lmax: lmax, v, values: nil, gradient: nil, upstream: up)
    }

    /// Shared kernel. Tangential projection and `1/|v|` applied at the end.
    static func core(lmax: Int, _ v: SIMD3<Double>,
                     values: UnsafeMutablePointer<Double>?,
                     gradient: UnsafeMutablePointer<SIMD3<Double>>?,
                     upstream: UnsafePointer<Double>?) -> SIMD3<Double> {
        let n = count(lmax: lmax)
        let r2 = (v * v).sum()
        guard r2 > 0, r2.isFinite else {
            if let vo = values { vo[0] = 1; for i in 1..<max(n, 1) { vo[i] = 0 } }
            if let go = gradient { for i in 0..<n { go[i] = .zero } }
            return .zero
        }
        let r = r2.squareRoot()
        let invR = 1 / r
        let u = v * invR
        let x = u.x, y = u.y, z = u.z
        let L = lmax
        let triangle = (L + 1) * (L + 2) / 2
        // scratch: Q table (triangular, Q_l^m at l(l+1)/2 + m) + A_m, B_m for m = 0...L
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: triangle + 2 * (L + 1)) { scratch in
            let q = scratch.baseAddress!
            let A = q + triangle, B = A + (L + 1)
            A[0] = 1; B[0] = 0
            if L > 0 { for m in 1...L { A[m] = A[m - 1] * x - B[m - 1] * y; B[m] = A[m - 1] * y + B[m - 1] * x } }
            tables.a.withUnsafeBufferPointer { ta in
            tables.b.withUnsafeBufferPointer { tb in
                for m in 0...L {
                    q[m * (m + 1) / 2 + m] = tables.doubleFactorial[m]
                    if m < L {
                        q[(m + 1) * (m + 2) / 2 + m] = Double(2 * m + 1) * z * tables.doubleFactorial[m]
                    }
                    if m + 2 <= L {
                        for l in (m + 2)...L {
                            let t = l * (l + 1) / 2 + m
                            q[t] = ta[t] * z * q[(l - 1) * l / 2 + m] - tb[t] * q[(l - 2) * (l - 1) / 2 + m]
                        }
                    }
                }
            }}
            var acc = SIMD3<Double>.zero
            tables.norm.withUnsafeBufferPointer { norm in
                for l in 0...L {
                    let base = l * l + l
                    let tl = l * (l + 1) / 2
                    for m in 0...l {
                        let c = norm[tl + m]
                        let qlm = q[tl + m]
                        let dq = m < l ? q[tl + m + 1] : 0       // Q_l^{m+1}
                        if m == 0 {
                            let val = c * qlm
                            // ∇G = (0, 0, c Q_l^1)
                            var g = SIMD3<Double>(0, 0, c * dq)
                            g = (g - (g * u).sum() * u) * invR
                            values?[base] = val
                            gradient?[base] = g
                            if let up = upstream { acc += up[base] * g }
                        } else {
                            let dm = Double(m)
                            // cosine part (index +m): G = c Q A_m
                            var gc = SIMD3<Double>(c * qlm * dm * A[m - 1], -c * qlm * dm * B[m - 1], c * dq * A[m])
                            // sine part (index −m): G = c Q B_m
                            var gs = SIMD3<Double>(c * qlm * dm * B[m - 1], c * qlm * dm * A[m - 1], c * dq * B[m])
                            gc = (gc - (gc * u).sum() * u) * invR
                            gs = (gs - (gs * u).sum() * u) * invR
                            if let vo = values { vo[base + m] = c * qlm * A[m]; vo[base - m] = c * qlm * B[m] }
                            if let go = gradient { go[base + m] = gc; go[base - m] = gs }
                            if let up = upstream { acc += up[base + m] * gc + up[base - m] * gs }
                        }
                    }
                }
            }
            return acc
        }
    }
}
