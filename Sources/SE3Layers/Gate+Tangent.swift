import SE3Core
import SE3Tensor

extension Gate {
    /// The forward-mode rule of `Gate.apply` (`ẏ` for tangents `ẋ`, `ġ`; nil tangents are zero):
    ///
    ///     ẏ⁰    = k_s silu'(x⁰) ẋ⁰
    ///     ẏ^l_i = k_g (σ'(g_l) ġ_l x^l_i + σ(g_l) ẋ^l_i)                     (l ≥ 1, i in the degree-l block)
    ///
    /// recorded as one op of `(x, g, ẋ, ġ)` with a hand-written backward (upstream `G`):
    ///
    ///     ∂x⁰ = k_s silu''(x⁰) ẋ⁰ G⁰,   ∂ẋ⁰ = k_s silu'(x⁰) G⁰
    ///     ∂x^l_i = k_g σ' ġ G^l_i,       ∂ẋ^l_i = k_g σ G^l_i
    ///     ∂g_l = k_g Σ_i (σ'' ġ x^l_i + σ' ẋ^l_i) G^l_i,   ∂ġ_l = k_g Σ_i σ' x^l_i G^l_i
    ///
    /// with `silu' = σ(1 + x(1−σ))`, `silu'' = σ(1−σ)(2 + x(1−2σ))`, `σ' = σ(1−σ)`,
    /// `σ'' = σ(1−σ)(1−2σ)`. It has no forward rule itself (no third derivatives).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func tangent<T>(x: Variable<T>, gates: Variable<T>?, dx: Variable<T>?, dgates: Variable<T>?, lmax: Int) -> Variable<T>? {
        guard dx != nil || dgates != nil else { return nil }
        let tape = x.tape
        let N = x.shape[0], M = x.shape[1], C = x.shape[2], Lg = N * lmax * C
        let kS = T(ActivationNormalization.silu), kG = T(ActivationNormalization.sigmoid)
        let dxv = dx ?? tape.constant(Tensor(zeros: x.shape))
        let gv = gates ?? tape.constant(Tensor(zeros: [N, lmax * C]))
        let dgv = dgates ?? tape.constant(Tensor(zeros: [N, lmax * C]))
        let xs = x.value.scalars, ds = dxv.value.scalars, gs = gv.value.scalars, dgs = dgv.value.scalars
        let hasGates = gates != nil && lmax > 0
        var sig = [T](repeating: 0, count: Lg)
        if hasGates { for j in 0..<Lg { sig[j] = logisticValue(gs[j]) } }
        var y = Tensor<T>(zeros: x.shape)
        for n in 0..<N {
            let o = n * M * C
            for c in 0..<C {
                let z = xs[o + c], s = logisticValue(z)
                y.scalars[o + c] = kS * s * (1 + z * (1 - s)) * ds[o + c]
            }
            guard hasGates else { continue }
            for l in 1...lmax {
                let gi = (n * lmax + l - 1) * C
                for i in (l * l) ..< ((l + 1) * (l + 1)) {
                    for c in 0..<C {
                        let s = sig[gi + c], j = o + i * C + c
                        y.scalars[j] = kG * (s * (1 - s) * dgs[gi + c] * xs[j] + s * ds[j])
                    }
                }
            }
        }
        let inputs = [x, dxv, gv, dgv]
        return tape.custom(value: y, inputs: inputs) { g in
            var gx = Tensor<T>(zeros: [N, M, C]), gdx = gx
            var gg = Tensor<T>(zeros: [N, lmax * C]), gdg = gg
            let G = g.scalars
            for n in 0..<N {
                let o = n * M * C
                for c in 0..<C {
                    let z = xs[o + c], s = logisticValue(z)
                    gx.scalars[o + c] = kS * s * (1 - s) * (2 + z * (1 - 2 * s)) * ds[o + c] * G[o + c]
                    gdx.scalars[o + c] = kS * s * (1 + z * (1 - s)) * G[o + c]
                }
                guard hasGates else { continue }
                for l in 1...lmax {
                    let gi = (n * lmax + l - 1) * C
                    for i in (l * l) ..< ((l + 1) * (l + 1)) {
                        for c in 0..<C {
                            let s = sig[gi + c], s1 = s * (1 - s), s2 = s1 * (1 - 2 * s), j = o + i * C + c
                            gx.scalars[j] = kG * s1 * dgs[gi + c] * G[j]
                            gdx.scalars[j] = kG * s * G[j]
                            gg.scalars[gi + c] += kG * (s2 * dgs[gi + c] * xs[j] + s1 * ds[j]) * G[j]
                            gdg.scalars[gi + c] += kG * s1 * xs[j] * G[j]
                        }
                    }
                }
            }
            return [gx, gdx, gg, gdg]
        }
    }
}
