import SE3Core
import SE3Math
import SE3Tensor

/// Self-interaction (seed "Self-interaction", a 1×1 convolution per degree):
///
///     y[n, l m, c'] = (1/√C_in) Σ_c x[n, l m, c] W^(l)[c, c'] + δ_{l0} b[c']
///
/// one weight matrix `W^(l)` `[C_in, C_out]` per degree (shared by all `m`, so it commutes
/// with `D^l(R)` and with the inversion), a bias on `l = 0` only (a bias on `l > 0` would
/// break equivariance). `lmaxOut` may differ from `lmaxIn`: degrees above `lmaxIn` are zero
/// (no weights), degrees above `lmaxOut` are dropped.
///
/// **Initialisation**: `W ~ N(0, 1)` with the `1/√C_in` applied in the forward pass (e3nn),
/// so unit-variance inputs give unit-variance outputs; `b = 0`.
///
/// Implemented with one strided GEMM per `(l, m)`: the rows `x[·, l m, ·]` form an
/// `[N, C_in]` matrix with leading dimension `M_in · C_in`. Backward: `∂x = G W^(l)ᵀ`,
/// `∂W^(l) = Σ_m x[·, l m, ·]ᵀ G[·, l m, ·]` (GEMMs), `∂b = Σ_n G[n, 0, ·]`.
///
/// Parameters: `"<name>.w<l>"` `[C_in, C_out]` for `l = 0...min(lmaxIn, lmaxOut)`, and
/// `"<name>.bias"` `[C_out]` if `bias`.
public struct EquivariantLinear: Sendable {
    public let lmaxIn: Int
    public let lmaxOut: Int
    public let channelsIn: Int
    public let channelsOut: Int
    public let weights: [Parameter]
    public let bias: Parameter?

    /// Registers the parameters. Throws `LayerError` for invalid sizes.
    public init<T>(store: ParameterStore<T>, name: String, lmaxIn: Int, lmaxOut: Int? = nil,
                   channelsIn: Int, channelsOut: Int, bias: Bool = true, rng: inout SeededGenerator) throws {
        let layer = "EquivariantLinear \(name)"
        let lo = lmaxOut ?? lmaxIn
        try LayerError.check(lmaxIn >= 0, layer, "lmaxIn", lmaxIn, "must be >= 0")
        try LayerError.check(lo >= 0, layer, "lmaxOut", lo, "must be >= 0")
        try LayerError.check(channelsIn >= 1, layer, "channelsIn", channelsIn, "must be >= 1")
        try LayerError.check(channelsOut >= 1, layer, "channelsOut", channelsOut, "must be >= 1")
        self.lmaxIn = lmaxIn
        self.lmaxOut = lo
        self.channelsIn = channelsIn
        self.channelsOut = channelsOut
        weights = (0...min(lmaxIn, lo)).map { l in
            store.register("\(name).w\(l)", shape: [channelsIn, channelsOut], initializer: .normal(std: 1), rng: &rng)
        }
        self.bias = bias ? store.register("\(name).bias", shape: [channelsOut], initializer: .zeros, rng: &rng) : nil
    }

    /// Applies the layer to features of `lmaxIn`, `channelsIn`; returns `lmaxOut`, `channelsOut`.
    public func callAsFunction<T>(_ x: SphericalFeatures<T>) -> SphericalFeatures<T> {
        require(x.lmax == lmaxIn && x.channels == channelsIn,
                   "EquivariantLinear: input lmax \(x.lmax), channels \(x.channels); expected \(lmaxIn), \(channelsIn)")
        let tape = x.tape
        let ws = weights.map { tape.parameter($0) }
        let b = bias.map { tape.parameter($0) }
        return SphericalFeatures(apply(x.variable, ws, b), lmax: lmaxOut, channels: channelsOut)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func apply<T>(_ x: Variable<T>, _ ws: [Variable<T>], _ b: Variable<T>?) -> Variable<T> {
        let N = x.shape[0], Ci = channelsIn, Co = channelsOut
        let mIn = (lmaxIn + 1) * (lmaxIn + 1), mOut = (lmaxOut + 1) * (lmaxOut + 1)
        let lCommon = min(lmaxIn, lmaxOut)
        let scale = 1 / T(Ci).squareRoot()
        let xv = x.value
        let wv = ws.map(\.value)
        var y = Tensor<T>(zeros: [N, mOut, Co])
        if N > 0 {
            xv.scalars.withUnsafeBufferPointer { px in
            y.scalars.withUnsafeMutableBufferPointer { py in
                for l in 0...lCommon {
                    wv[l].scalars.withUnsafeBufferPointer { pw in
                        for i in (l * l) ..< ((l + 1) * (l + 1)) {
                            T.gemm(transposeA: false, transposeB: false, m: N, n: Co, k: Ci,
                                   alpha: scale, a: px.baseAddress! + i * Ci, lda: mIn * Ci,
                                   b: pw.baseAddress!, ldb: Co,
                                   beta: 0, c: py.baseAddress! + i * Co, ldc: mOut * Co)
                        }
                    }
                }
                if let b {
                    b.value.scalars.withUnsafeBufferPointer { pb in
                        for n in 0..<N {
                            let row = py.baseAddress! + n * mOut * Co
                            for c in 0..<Co { row[c] += pb[c] }
                        }
                    }
                }
            }}
        }
        let needX = x.requiresGrad
        let needW = ws.map(\.requiresGrad)
        let needB = b?.requiresGrad ?? false
        var inputs = [x] + ws
        if let b { inputs.append(b) }
        let xShape = x.shape
        // linear in x: ẏ = apply(ẋ) without the bias (weights are parameters, without tangents)
        let rule: Tape<T>.ForwardRule = { v, _, t in
            require(t.dropFirst().allSatisfy { $0 == nil }, "EquivariantLinear: forward mode with tangents of the weights")
            return t[0].map { self.apply($0, Array(v[1..<(1 + ws.count)]), nil) }
        }
        return x.tape.custom(value: y, inputs: inputs, forward: rule) { g in
            var grads: [Tensor<T>?] = []
            var gx: Tensor<T>? = needX ? Tensor<T>(zeros: xShape) : nil
            var gws: [Tensor<T>?] = needW.map { $0 ? Tensor<T>(zeros: [Ci, Co]) : nil }
            var gb: Tensor<T>? = needB ? Tensor<T>(zeros: [Co]) : nil
            if N > 0 {
                g.scalars.withUnsafeBufferPointer { pg in
                xv.scalars.withUnsafeBufferPointer { px in
                    for l in 0...lCommon {
                        for i in (l * l) ..< ((l + 1) * (l + 1)) {
                            if gx != nil {
                                wv[l].scalars.withUnsafeBufferPointer { pw in
                                    gx!.scalars.withUnsafeMutableBufferPointer { pgx in
                                        // ∂x[·, i, ·] = scale · G[·, i, ·] Wᵀ
                                        T.gemm(transposeA: false, transposeB: true, m: N, n: Ci, k: Co,
                                               alpha: scale, a: pg.baseAddress! + i * Co, lda: mOut * Co,
                                               b: pw.baseAddress!, ldb: Co,
                                               beta: 0, c: pgx.baseAddress! + i * Ci, ldc: mIn * Ci)
                                    }
                                }
                            }
                            if gws[l] != nil {
                                gws[l]!.scalars.withUnsafeMutableBufferPointer { pgw in
                                    // ∂W += scale · x[·, i, ·]ᵀ G[·, i, ·]
                                    T.gemm(transposeA: true, transposeB: false, m: Ci, n: Co, k: N,
                                           alpha: scale, a: px.baseAddress! + i * Ci, lda: mIn * Ci,
                                           b: pg.baseAddress! + i * Co, ldb: mOut * Co,
                                           beta: 1, c: pgw.baseAddress!, ldc: Co)
                                }
                            }
                        }
                    }
                    if gb != nil {
                        gb!.scalars.withUnsafeMutableBufferPointer { pgb in
                            for n in 0..<N {
                                let row = pg.baseAddress! + n * mOut * Co
                                for c in 0..<Co { pgb[c] += row[c] }
                            }
                        }
                    }
                }}
            }
            grads.append(gx)
            grads.append(contentsOf: gws)
            if b != nil { grads.append(gb) }
            return grads
        }
    }
}
