extension WignerD {
    /// The generators `J_k^l = d/dt D^l(exp(t L_k))|_{t=0}` of rotations about the x, y and z axes
    /// in the se3 real basis, `(2l+1)²` row-major each, with `L_x, L_y, L_z` the 3×3 generators
    /// (`(L_z)_{xy} = −1`, `(L_z)_{yx} = 1`, cyclic). So for a small rotation `exp(Σ_k ω_k L_k) R`,
    /// `D^l` changes by `Σ_k ω_k J_k^l D^l(R)`.
    ///
    /// `J_z` from the basis: a rotation by `α` about z maps `(Y_{l,m}, Y_{l,−m})` (`cos mφ`,
    /// `sin mφ` parts) by the angle `mα`, so `J_z[−m, m] = m`, `J_z[m, −m] = −m` (rows and columns
    /// indexed by `m + l`). `J_x = D(P) J_z D(P)ᵀ`, `J_y = D(P²) J_z D(P²)ᵀ` with `P` the cyclic
    /// permutation `x → y → z → x` (`P L_z Pᵀ = L_x`, `P² L_z P²ᵀ = L_y`).
    public static func generators(l: Int) -> (x: [Double], y: [Double], z: [Double]) {
        let d = 2 * l + 1
        var jz = [Double](repeating: 0, count: d * d)
        if l > 0 {
            for m in 1...l {
                jz[(l - m) * d + (l + m)] = Double(m)
                jz[(l + m) * d + (l - m)] = -Double(m)
            }
        }
        // P e_x = e_y, P e_y = e_z, P e_z = e_x (columns): P maps the z axis to the x axis
        let p = Rotation(rows: SIMD3(0, 0, 1), SIMD3(1, 0, 0), SIMD3(0, 1, 0))
        func conjugate(_ r: Rotation) -> [Double] {
            let dr = matrix(l: l, r)
            var out = [Double](repeating: 0, count: d * d)
            for i in 0..<d { for j in 0..<d {
                var s = 0.0
                for a in 0..<d { for b in 0..<d where jz[a * d + b] != 0 { s += dr[i * d + a] * jz[a * d + b] * dr[j * d + b] } }
                out[i * d + j] = s
            } }
            return out
        }
        return (conjugate(p), conjugate(p * p), jz)
    }
}
