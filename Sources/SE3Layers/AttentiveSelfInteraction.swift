import SE3Core
import SE3Math
import SE3Tensor

/// The SE(3)-Transformer paper's attentive self-interaction (Fuchs et al. 2020, sec. 3.3): a
/// per-node, per-degree channel mixing whose weights come from the node's own invariants,
///
///     G_i^l[c', c] = Σ_m f^l_{i,c'm} f^l_{i,cm} / (2l + 1)           (the channels' inner products)
///     W_i^l        = MLP_l(G_i^l)                                   `C_in² → hidden → C_out·C_in` (`RadialMLP`, SiLU)
///     y^l_{i,c'm}  = (1/√C_in) Σ_c W_i^l[c', c] f^l_{i,cm}  (+ b_{c'} for l = 0)
///
/// Equivariant: `G` is invariant under rotations and the inversion, and `W` acts on channels only.
/// Parameters: `"<name>.mlp<l>.*"` per degree, `"<name>.bias"` `[C_out]`. The Gram matrices and
/// the per-node mixing are single tape ops with hand-written backward passes:
///
///     ∂f^l_{cm} += Σ_{c'} (∂G[c, c'] + ∂G[c', c]) f^l_{c'm} / (2l + 1)
///     ∂f^l_{cm} += (1/√C_in) Σ_{c'} W[c', c] ∂y_{c'm},   ∂W[c', c] = (1/√C_in) Σ_m ∂y_{c'm} f_{cm},   ∂b = Σ_i ∂y^0
public struct AttentiveSelfInteraction: Sendable {
    public let lmax: Int
    public let channelsIn: Int
    public let channelsOut: Int
    public let mlps: [RadialMLP]
    public let bias: Parameter

    public init<T>(store: ParameterStore<T>, name: String, lmax: Int, channelsIn: Int, channelsOut: Int, hidden: Int,
                   rng: inout SeededGenerator) throws {
        try LayerError.check(lmax >= 0, "AttentiveSelfInteraction \(name)", "lmax", lmax, "must be >= 0")
        try LayerError.check(channelsIn >= 1 && channelsOut >= 1, "AttentiveSelfInteraction \(name)", "channels",
                             "\(channelsIn) → \(channelsOut)", "must be >= 1")
        self.lmax = lmax; self.channelsIn = channelsIn; self.channelsOut = channelsOut
        mlps = try (0...lmax).map { l in
            try RadialMLP(store: store, name: "\(name).mlp\(l)", inputs: channelsIn * channelsIn, hidden: hidden,
                          outputs: channelsOut * channelsIn, hiddenLayers: 1, rng: &rng)
        }
        bias = store.register("\(name).bias", shape: [channelsOut], initializer: .zeros, rng: &rng)
    }

    public func callAsFunction<T>(_ x: SphericalFeatures<T>) -> SphericalFeatures<T> {
        require(x.lmax == lmax && x.channels == channelsIn,
                "AttentiveSelfInteraction: input lmax \(x.lmax), channels \(x.channels); expected \(lmax), \(channelsIn)")
        let N = x.count, L = lmax + 1, Ci = channelsIn, Co = channelsOut
        let gram = Self.gram(x.variable, lmax: lmax)                                       // [N, L, Ci²]
        let weights = concat((0..<L).map { l in
            reshape(mlps[l](reshape(slice(gram, axis: 1, range: l..<(l + 1)), [N, Ci * Ci])), [N, 1, Co * Ci])
        }, axis: 1)                                                                         // [N, L, Co·Ci]
        let y = Self.apply(x.variable, weights: weights, bias: x.tape.parameter(bias), lmax: lmax, channelsOut: Co)
        return SphericalFeatures(y, lmax: lmax, channels: Co)
    }

    /// `[N, L+1, C·C]`: `G[n, l, c'·C + c] = Σ_m x[n, lm, c'] x[n, lm, c] / (2l + 1)`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func gram<T>(_ x: Variable<T>, lmax: Int) -> Variable<T> {
        let N = x.shape[0], M = x.shape[1], C = x.shape[2], L = lmax + 1
        let xv = x.value
        var g = Tensor<T>(zeros: [N, L, C * C])
        xv.scalars.withUnsafeBufferPointer { px in
        g.scalars.withUnsafeMutableBufferPointer { pg in
            for n in 0..<N {
                for l in 0..<L {
                    let inv = 1 / T(2 * l + 1), out = pg.baseAddress! + (n * L + l) * C * C
                    for m in (l * l)..<((l + 1) * (l + 1)) {
                        let row = px.baseAddress! + (n * M + m) * C
                        for a in 0..<C { for b in 0..<C { out[a * C + b] += row[a] * row[b] * inv } }
                    }
                }
            }
        }}
        return x.tape.custom(value: g, inputs: [x]) { up in
            var gx = Tensor<T>(zeros: [N, M, C])
            up.scalars.withUnsafeBufferPointer { pu in
            xv.scalars.withUnsafeBufferPointer { px in
            gx.scalars.withUnsafeMutableBufferPointer { pgx in
                for n in 0..<N {
                    for l in 0..<L {
                        let inv = 1 / T(2 * l + 1), u = pu.baseAddress! + (n * L + l) * C * C
                        for m in (l * l)..<((l + 1) * (l + 1)) {
                            let row = px.baseAddress! + (n * M + m) * C, grow = pgx.baseAddress! + (n * M + m) * C
                            for a in 0..<C {
                                var s: T = 0
                                for b in 0..<C { s += (u[a * C + b] + u[b * C + a]) * row[b] }
                                grow[a] = s * inv
                            }
                        }
                    }
                }
            }}}
            return [gx]
        }
    }

    /// `y[n, lm, c'] = (1/√C_in) Σ_c W[n, l, c'·C_in + c] x[n, lm, c] (+ b[c'] on l = 0)`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func apply<T>(_ x: Variable<T>, weights: Variable<T>, bias: Variable<T>, lmax: Int, channelsOut Co: Int) -> Variable<T> {
        let N = x.shape[0], M = x.shape[1], Ci = x.shape[2], L = lmax + 1
        let s = 1 / T(Ci).squareRoot()
        let xv = x.value, wv = weights.value, bv = bias.value
        var y = Tensor<T>(zeros: [N, M, Co])
        xv.scalars.withUnsafeBufferPointer { px in
        wv.scalars.withUnsafeBufferPointer { pw in
        y.scalars.withUnsafeMutableBufferPointer { py in
            for n in 0..<N {
                for l in 0..<L {
                    let w = pw.baseAddress! + (n * L + l) * Co * Ci
                    for m in (l * l)..<((l + 1) * (l + 1)) {
                        let xr = px.baseAddress! + (n * M + m) * Ci, yr = py.baseAddress! + (n * M + m) * Co
                        for c2 in 0..<Co {
                            var t: T = 0
                            for c in 0..<Ci { t += w[c2 * Ci + c] * xr[c] }
                            yr[c2] = s * t + (m == 0 ? bv.scalars[c2] : 0)
                        }
                    }
                }
            }
        }}}
        let needX = x.requiresGrad, needW = weights.requiresGrad, needB = bias.requiresGrad
        return x.tape.custom(value: y, inputs: [x, weights, bias]) { g in
            var gx = needX ? Tensor<T>(zeros: [N, M, Ci]) : nil
            var gw = needW ? Tensor<T>(zeros: [N, L, Co * Ci]) : nil
            var gb = needB ? Tensor<T>(zeros: [Co]) : nil
            g.scalars.withUnsafeBufferPointer { pg in
            xv.scalars.withUnsafeBufferPointer { px in
            wv.scalars.withUnsafeBufferPointer { pw in
                for n in 0..<N {
                    for l in 0..<L {
                        let wo = (n * L + l) * Co * Ci
                        for m in (l * l)..<((l + 1) * (l + 1)) {
                            let xo = (n * M + m) * Ci, go = (n * M + m) * Co
                            for c2 in 0..<Co {
                                let gv = pg[go + c2]
                                if m == 0 && gb != nil { gb!.scalars[c2] += gv }
                                for c in 0..<Ci {
                                    if gx != nil { gx!.scalars[xo + c] += s * pw[wo + c2 * Ci + c] * gv }
                                    if gw != nil { gw!.scalars[wo + c2 * Ci + c] += s * gv * px[xo + c] }
                                }
                            }
                        }
                    }
                }
            }}}
            return [gx, gw, gb]
        }
    }
}
