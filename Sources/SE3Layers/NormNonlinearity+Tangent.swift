import SE3Core
import SE3Tensor

extension NormNonlinearity {
    /// The forward-mode rule of `NormNonlinearity.apply` for a tangent `ẋ` (the bias is a
    /// parameter), one op of `(x, b, ẋ)` with a hand-written backward. With `z = x⁰ + b⁰` and, per
    /// `(l ≥ 1, c)`, `r = √(ε + Σ_m x_m²)`, `s = σ(r + b_l)`, `s' = s(1−s)`, `s'' = s'(1−2s)`,
    /// `q = x · ẋ`, `ṙ = q / r`:
    ///
    ///     ẏ⁰ = silu'(z) ẋ⁰,                  ẏ_m = s' ṙ x_m + s ẋ_m
    ///
    /// and for the upstream `G` (`Gx = G · x`, `Gẋ = G · ẋ` over `m`):
    ///
    ///     ∂x⁰ = ∂b⁰ = silu''(z) ẋ⁰ G⁰,       ∂ẋ⁰ = silu'(z) G⁰
    ///     ∂x_m = Gx (s'' ṙ x_m / r + s' (ẋ_m / r − q x_m / r³)) + s' ṙ G_m + s' x_m Gẋ / r
    ///     ∂ẋ_m = s' Gx x_m / r + s G_m,       ∂b_l = s'' ṙ Gx + s' Gẋ
    ///
    /// It has no forward rule itself (no third derivatives).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func tangent<T>(x: Variable<T>, bias: Variable<T>, dx: Variable<T>, lmax: Int) -> Variable<T> {
        let N = x.shape[0], M = x.shape[1], C = x.shape[2]
        let eps = T(epsilon)
        let xs = x.value.scalars, ds = dx.value.scalars, bs = bias.value.scalars
        var y = Tensor<T>(zeros: x.shape)
        for n in 0..<N {
            let o = n * M * C
            for c in 0..<C {
                let z = xs[o + c] + bs[c], s = logisticValue(z)
                y.scalars[o + c] = s * (1 + z * (1 - s)) * ds[o + c]
            }
            guard lmax > 0 else { continue }
            for l in 1...lmax {
                let base = o + l * l * C, dm = 2 * l + 1
                for c in 0..<C {
                    var r2 = eps, q: T = 0
                    for m in 0..<dm { let j = base + m * C + c; r2 += xs[j] * xs[j]; q += xs[j] * ds[j] }
                    let r = r2.squareRoot(), s = logisticValue(r + bs[l * C + c]), s1 = s * (1 - s), rdot = q / r
                    for m in 0..<dm { let j = base + m * C + c; y.scalars[j] = s1 * rdot * xs[j] + s * ds[j] }
                }
            }
        }
        let bShape = bias.shape
        return x.tape.custom(value: y, inputs: [x, bias, dx]) { g in
            var gx = Tensor<T>(zeros: [N, M, C]), gd = gx
            var gb = Tensor<T>(zeros: bShape)
            let G = g.scalars
            for n in 0..<N {
                let o = n * M * C
                for c in 0..<C {
                    let z = xs[o + c] + bs[c], s = logisticValue(z)
                    let second = s * (1 - s) * (2 + z * (1 - 2 * s)) * ds[o + c] * G[o + c]
                    gx.scalars[o + c] = second
                    gb.scalars[c] += second
                    gd.scalars[o + c] = s * (1 + z * (1 - s)) * G[o + c]
                }
                guard lmax > 0 else { continue }
                for l in 1...lmax {
                    let base = o + l * l * C, dm = 2 * l + 1
                    for c in 0..<C {
                        var r2 = eps, q: T = 0, gxd: T = 0, gdd: T = 0
                        for m in 0..<dm {
                            let j = base + m * C + c
                            r2 += xs[j] * xs[j]; q += xs[j] * ds[j]; gxd += G[j] * xs[j]; gdd += G[j] * ds[j]
                        }
                        let r = r2.squareRoot(), s = logisticValue(r + bs[l * C + c])
                        let s1 = s * (1 - s), s2 = s1 * (1 - 2 * s), rdot = q / r
                        for m in 0..<dm {
                            let j = base + m * C + c
                            gx.scalars[j] = gxd * (s2 * rdot * xs[j] / r + s1 * (ds[j] / r - q * xs[j] / (r * r * r)))
                                + s1 * rdot * G[j] + s1 * xs[j] * gdd / r
                            gd.scalars[j] = s1 * gxd * xs[j] / r + s * G[j]
                        }
                        gb.scalars[l * C + c] += s2 * rdot * gxd + s1 * gdd
                    }
                }
            }
            return [gx, gb, gd]
        }
    }
}
