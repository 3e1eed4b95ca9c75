import SE3Core
import SE3Math
import SE3Tensor

/// e3nn-style gated nonlinearity. With `s = V[n, 0, ·]` the scalar (`l = 0`) channels,
///
///     gates  g[n, l, c] = (1/√C) Σ_c' s[n, c'] W_g[c', (l−1)·C + c] + b_g[(l−1)·C + c],   l = 1...lmax
///     l = 0:  y[n, 0, c]   = k_SiLU · SiLU(s[n, c])
///     l > 0:  y[n, l m, c] = k_σ · σ(g[n, l, c]) · V[n, l m, c]
///
/// The gates are an `EquivariantLinear`-like map (`[C, lmax·C]` weights, `N(0,1)` with the
/// `1/√C` in the forward pass, zero bias) of the **input** scalars; `k_SiLU`, `k_σ` are the
/// `ActivationNormalization` constants (unit second moment for standard-normal
/// pre-activations, as e3nn's `normalize2mom`). Equivariant because the gates are built from
/// invariant scalars (`0e`) only and multiply whole `2l+1` blocks.
///
/// Parameters (only for `lmax ≥ 1`): `"<name>.gateWeight"` `[C, lmax·C]`, `"<name>.gateBias"`
/// `[lmax·C]`. The gating step itself is one hand-written op with backward
/// `∂V_lm = k_σ σ(g) G_lm`, `∂g = k_σ σ(1−σ) Σ_m G_lm V_lm`, `∂s = k_SiLU SiLU'(s) G_0`.
public struct Gate: Sendable {
    public let lmax: Int
    public let channels: Int
    public let gateWeight: Parameter?
    public let gateBias: Parameter?

    /// Registers the gate parameters. Throws `LayerError` for invalid sizes.
    public init<T>(store: ParameterStore<T>, name: String, lmax: Int, channels: Int,
                   rng: inout SeededGenerator) throws {
        try LayerError.check(lmax >= 0, "Gate \(name)", "lmax", lmax, "must be >= 0")
        try LayerError.check(channels >= 1, "Gate \(name)", "channels", channels, "must be >= 1")
        self.lmax = lmax
        self.channels = channels
        if lmax > 0 {
            gateWeight = store.register("\(name).gateWeight", shape: [channels, lmax * channels],
                                        initializer: .normal(std: 1), rng: &rng)
            gateBias = store.register("\(name).gateBias", shape: [lmax * channels], initializer: .zeros, rng: &rng)
        } else {
            gateWeight = nil
            gateBias = nil
        }
    }

    public func callAsFunction<T>(_ x: SphericalFeatures<T>) -> SphericalFeatures<T> {
        require(x.lmax == lmax && x.channels == channels,
                   "Gate: input lmax \(x.lmax), channels \(x.channels); expected \(lmax), \(channels)")
        let tape = x.tape
        let N = x.count, C = channels
        var pre: Variable<T>? = nil
        if let gateWeight, let gateBias {
            let s = reshape(slice(x.variable, axis: 1, range: 0..<1), [N, C])
            let z = matmul(s, tape.parameter(gateWeight)) * (1 / T(C).squareRoot())
            pre = addRowVector(z, tape.parameter(gateBias))
        }
        return SphericalFeatures(Self.apply(x.variable, gates: pre, lmax: lmax), lmax: lmax, channels: C)
    }

    /// The gating op: `V [N, M, C]`, gate pre-activations `[N, lmax·C]` (nil for lmax 0).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func apply<T>(_ x: Variable<T>, gates: Variable<T>?, lmax: Int) -> Variable<T> {
        let N = x.shape[0], M = x.shape[1], C = x.shape[2]
        let kS = T(ActivationNormalization.silu), kG = T(ActivationNormalization.sigmoid)
        let xv = x.value
        let gv = gates?.value
        var y = Tensor<T>(zeros: x.shape)
        var sig = [T](repeating: 0, count: N * lmax * C)
        xv.scalars.withUnsafeBufferPointer { px in
        y.scalars.withUnsafeMutableBufferPointer { py in
        sig.withUnsafeMutableBufferPointer { ps in
            for n in 0..<N {
                let xr = px.baseAddress! + n * M * C, yr = py.baseAddress! + n * M * C
                for c in 0..<C { yr[c] = kS * siluValue(xr[c]) }
            }
            guard let gv, lmax > 0 else { return }
            gv.scalars.withUnsafeBufferPointer { pg in
                for n in 0..<N {
                    let xr = px.baseAddress! + n * M * C, yr = py.baseAddress! + n * M * C
                    for l in 1...lmax {
                        let gi = (n * lmax + l - 1) * C
                        for c in 0..<C { ps[gi + c] = logisticValue(pg[gi + c]) }
                        for i in (l * l) ..< ((l + 1) * (l + 1)) {
                            for c in 0..<C { yr[i * C + c] = kG * ps[gi + c] * xr[i * C + c] }
                        }
                    }
                }
            }
        }}}
        let needX = x.requiresGrad, needG = gates?.requiresGrad ?? false
        let xShape = x.shape
        var inputs = [x]
        if let gates { inputs.append(gates) }
        let rule: Tape<T>.ForwardRule = { v, _, t in
            tangent(x: v[0], gates: v.count > 1 ? v[1] : nil, dx: t[0], dgates: t.count > 1 ? t[1] : nil, lmax: lmax)
        }
        return x.tape.custom(value: y, inputs: inputs, forward: rule) { g in
            var gx = Tensor<T>(zeros: xShape)
            var gg = Tensor<T>(zeros: [N, lmax * C])
            g.scalars.withUnsafeBufferPointer { pg in
            xv.scalars.withUnsafeBufferPointer { px in
            gx.scalars.withUnsafeMutableBufferPointer { pgx in
            gg.scalars.withUnsafeMutableBufferPointer { pgg in
            sig.withUnsafeBufferPointer { ps in
                for n in 0..<N {
                    let o = n * M * C
                    let xr = px.baseAddress! + o, gr = pg.baseAddress! + o, gxr = pgx.baseAddress! + o
                    for c in 0..<C { gxr[c] = kS * gr[c] * siluDerivative(xr[c]) }
                    guard lmax > 0 else { continue }
                    for l in 1...lmax {
                        let gi = (n * lmax + l - 1) * C
                        for i in (l * l) ..< ((l + 1) * (l + 1)) {
                            for c in 0..<C {
                                let s = ps[gi + c]
                                gxr[i * C + c] = kG * s * gr[i * C + c]
                                pgg[gi + c] += kG * s * (1 - s) * gr[i * C + c] * xr[i * C + c]
                            }
                        }
                    }
                }
            }}}}}
            var out: [Tensor<T>?] = [needX ? gx : nil]
            if gates != nil { out.append(needG ? gg : nil) }
            return out
        }
    }
}
