import SE3Core
import SE3Math
import SE3Tensor

/// The radial network `R(r)` of seed eq. 5 (`φ(|x|)` of eq. 9): an MLP from the radial
/// embedding `[R, inputs]` to tensor-product weights `[R, outputs]`, one row per edge or per atom
/// pair (the radius is the same both ways; `outputs = plan.weightsPerEdge`). The one radial MLP of
/// se3: every model and `se3 bench tensor-product` run this implementation. Per hidden layer
/// `i = 0..<hiddenLayers`, then the output layer:
///
///     z_i = h_i W_i / √fan_i  (+ b_i)          h_0 = x
///     n_i = γ_i (z_i − μ(z_i)) / σ(z_i) + β_i   (layerNorm: per row over the width; else n_i = z_i)
///     h_{i+1} = k · act(n_i)                   act = SiLU (k ≈ 1.6765) or ReLU (k = √2)
///     y = h_L W_L / √fan_L                     (no bias)
///
/// **Initialisation** (e3nn style): every `W` is `N(0, 1)`; the `1/√fan_in` factor is applied
/// in the forward pass and `k = ActivationNormalization` restores unit second moment after each
/// activation, so unit-variance inputs give unit-variance outputs at initialisation independently
/// of the widths (and Adam steps act on O(1) parameters); `b = 0`, `γ = 1`, `β = 0`.
/// TFN uses no biases and no layer norm: a zero embedding (edges at or beyond the cutoff, where
/// the envelope vanishes) then gives exactly zero weights, so messages switch off smoothly at the
/// cutoff. The SE(3)-Transformer's radial profile (NVIDIA's `RadialProfile`) uses both, with ReLU.
///
/// Parameters, in registration order: `"<name>.w<i>"` `[fan_in, fan_out]`, then (if `bias`)
/// `"<name>.b<i>"` `[hidden]`, then (if `layerNorm`) `"<name>.norm<i>.gain"`, `.shift` `[hidden]`,
/// for each layer `i`.
public struct RadialMLP: Sendable {
    /// The hidden activation.
    public enum Activation: String, Sendable {
        case silu, relu
    }

    public let inputs: Int
    public let hidden: Int
    public let outputs: Int
    /// Number of hidden layers (default 2: Linear+act, Linear+act, Linear).
    public let hiddenLayers: Int
    public let activation: Activation
    public let layerNorm: Bool
    public let weights: [Parameter]
    /// Hidden-layer biases (empty without `bias`).
    public let biases: [Parameter]
    /// Hidden-layer norm gains and shifts (empty without `layerNorm`).
    public let gains: [Parameter]
    public let shifts: [Parameter]
    /// `ε` in `σ = √(var + ε)` of the layer norm.
    public static let layerNormEpsilon = 1e-5

    /// Registers the parameters in `store`. Throws `LayerError` for non-positive sizes.
    public init<T>(store: ParameterStore<T>, name: String, inputs: Int, hidden: Int, outputs: Int,
                   hiddenLayers: Int = 2, activation: Activation = .silu, layerNorm: Bool = false, bias: Bool = false,
                   rng: inout SeededGenerator) throws {
        try LayerError.check(inputs >= 1, "RadialMLP \(name)", "inputs", inputs, "must be >= 1")
        try LayerError.check(hidden >= 1, "RadialMLP \(name)", "hidden", hidden, "must be >= 1")
        try LayerError.check(outputs >= 1, "RadialMLP \(name)", "outputs", outputs, "must be >= 1")
        try LayerError.check(hiddenLayers >= 0, "RadialMLP \(name)", "hiddenLayers", hiddenLayers, "must be >= 0")
        self.inputs = inputs
        self.hidden = hidden
        self.outputs = outputs
        self.hiddenLayers = hiddenLayers
        self.activation = activation
        self.layerNorm = layerNorm
        var sizes = [inputs]
        sizes += [Int](repeating: hidden, count: hiddenLayers)
        sizes.append(outputs)
        var ws: [Parameter] = [], bs: [Parameter] = [], gs: [Parameter] = [], ss: [Parameter] = []
        for i in 0..<(sizes.count - 1) {
            ws.append(store.register("\(name).w\(i)", shape: [sizes[i], sizes[i + 1]],
                                     initializer: .normal(std: 1), rng: &rng))
            guard i < hiddenLayers else { continue }
            if bias { bs.append(store.register("\(name).b\(i)", shape: [hidden], initializer: .zeros, rng: &rng)) }
            if layerNorm {
                gs.append(store.register("\(name).norm\(i).gain", shape: [hidden], initializer: .constant(1), rng: &rng))
                ss.append(store.register("\(name).norm\(i).shift", shape: [hidden], initializer: .zeros, rng: &rng))
            }
        }
        weights = ws; biases = bs; gains = gs; shifts = ss
    }

    /// The output layer's weight `W_L` `[hidden, outputs]` (or `[inputs, outputs]` without hidden
    /// layers) and its factor `1/√fan_L`: ops that produce the weights in chunks
    /// (`TensorProduct.pairMessages`) take `hiddenFeatures(x)` and these.
    public var lastWeight: Parameter { weights[weights.count - 1] }
    public var lastScale: Double { 1 / Double(weights[weights.count - 1].shape[0]).squareRoot() }

    /// `[R, inputs] → [R, outputs]`, recorded as ONE tape op (the tape must have the store the
    /// parameters live in).
    public func callAsFunction<T>(_ x: Variable<T>) -> Variable<T> { run(x, throughLast: true) }

    /// `h_L` `[R, hidden]`: the MLP without its output layer (one tape op; `hiddenLayers ≥ 1`).
    public func hiddenFeatures<T>(_ x: Variable<T>) -> Variable<T> {
        require(hiddenLayers >= 1, "RadialMLP.hiddenFeatures needs hidden layers")
        return run(x, throughLast: false)
    }

    /// The forward pass with every `1/√fan` folded into the GEMM's `alpha`, activations in place
    /// (their inputs kept for the backward pass), no intermediate tape nodes. Backward, with
    /// `G = ∂L/∂(output)`:
    ///
    ///     ∂W_L = h_Lᵀ G / √fan_L,   ∂h_L = G W_Lᵀ / √fan_L                      (throughLast)
    ///     ∂n_i = ∂h_{i+1} ⊙ k act'(n_i)
    ///     ∂γ_i = Σ_rows ∂n_i ⊙ ẑ_i,  ∂β_i = Σ_rows ∂n_i,  ∂ẑ = ∂n_i ⊙ γ_i,
    ///     ∂z_i = (∂ẑ − mean(∂ẑ) − ẑ mean(∂ẑ ⊙ ẑ)) / σ_i                          (layerNorm; else ∂z_i = ∂n_i)
    ///     ∂b_i = Σ_rows ∂z_i,   ∂W_i = h_iᵀ ∂z_i / √fan_i,   ∂h_i = ∂z_i W_iᵀ / √fan_i.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run<T>(_ x: Variable<T>, throughLast: Bool) -> Variable<T> {
        require(x.rank == 2 && x.shape[1] == inputs, "RadialMLP: input shape \(x.shape), expected [E, \(inputs)]")
        let tape = x.tape
        let ws = weights.map { tape.parameter($0) }
        let bs = biases.map { tape.parameter($0) }
        let gs = gains.map { tape.parameter($0) }, ss = shifts.map { tape.parameter($0) }
        let wv = ws.map(\.value)
        let bv = bs.map(\.value.scalars), gv = gs.map(\.value.scalars), sv = ss.map(\.value.scalars)
        let E = x.shape[0], L = hiddenLayers, H = hidden
        let k = T(activation == .silu ? ActivationNormalization.silu : ActivationNormalization.relu)
        let relu = activation == .relu, norm = layerNorm, hasBias = !biases.isEmpty
        let fans = weights.map { $0.shape[0] }, widths = weights.map { $0.shape[1] }
        let alphas = fans.map { 1 / T($0).squareRoot() }
        let eps = T(Self.layerNormEpsilon)
        // per hidden layer: its input h_i, the activation input n_i, the SiLU logistic σ(n_i),
        // and for the layer norm ẑ_i and 1/σ_i per row
        var h: [[T]] = [x.value.scalars]
        var pre: [[T]] = [], sig: [[T]] = [], zhat: [[T]] = [], inv: [[T]] = []
        for i in 0..<L {
            var z: [T] = Self.uninitialized(E * H)                                        // written by the GEMM
            Self.gemm(E, H, fans[i], alphas[i], h[i], false, wv[i].scalars, false, &z, beta: 0)
            if hasBias { z.withUnsafeMutableBufferPointer { pz in Self.addRows(pz, bv[i], E, H) } }
            var zh: [T] = [], iv: [T] = []
            if norm {
                zh = z
                iv = [T](repeating: 0, count: E)
                zh.withUnsafeMutableBufferPointer { pz in
                iv.withUnsafeMutableBufferPointer { pi in
                z.withUnsafeMutableBufferPointer { pn in
                    for r in 0..<E {
                        let row = pz.baseAddress! + r * H
                        var mean: T = 0
                        for j in 0..<H { mean += row[j] }
                        mean /= T(H)
                        var v: T = 0
                        for j in 0..<H { let d = row[j] - mean; v += d * d }
                        let s = 1 / (v / T(H) + eps).squareRoot()
                        pi[r] = s
                        let out = pn.baseAddress! + r * H
                        for j in 0..<H {
                            let t = (row[j] - mean) * s
                            row[j] = t
                            out[j] = gv[i][j] * t + sv[i][j]
                        }
                    }
                }}}
            }
            var a = z, s: [T] = relu ? [] : z
            z.withUnsafeBufferPointer { pz in
            a.withUnsafeMutableBufferPointer { pa in
                if relu {
                    for j in 0..<pz.count { pa[j] = pz[j] > 0 ? k * pz[j] : 0 }
                } else {
                    s.withUnsafeMutableBufferPointer { ps in
                        for j in 0..<pz.count {
                            let zj = pz[j]
                            let sj = 1 / (1 + T.exp(-zj))               // exp overflow gives σ = 0 exactly, no NaN
                            ps[j] = sj
                            pa[j] = k * zj * sj
                        }
                    }
                }
            }}
            pre.append(z); sig.append(s); zhat.append(zh); inv.append(iv); h.append(a)
        }
        let outWidth = throughLast ? outputs : H
        var y: Tensor<T>
        if throughLast {
            y = Tensor(shape: [E, outputs], scalars: Self.uninitialized(E * outputs))   // written by the GEMM
            Self.gemm(E, outputs, fans[L], alphas[L], h[L], false, wv[L].scalars, false, &y.scalars, beta: 0)
        } else {
            y = Tensor(shape: [E, H], scalars: h[L])
        }
        let needX = x.requiresGrad
        let hs = h, sigs = sig, pres = pre, zhats = zhat, invs = inv
        let inputVariables = [x] + (throughLast ? ws : Array(ws.dropLast())) + bs + gs + ss
        let nW = throughLast ? L + 1 : L
        let rule: Tape<T>.ForwardRule = { v, _, t in
            require(t.dropFirst().allSatisfy { $0 == nil }, "RadialMLP: forward mode with tangents of the parameters")
            return t[0].map { tangent(v[0], $0, throughLast: throughLast) }
        }
        return tape.custom(value: y, inputs: inputVariables, forward: rule) { g in
            var gW = [Tensor<T>?](repeating: nil, count: nW)
            var gB = [Tensor<T>?](repeating: nil, count: bs.count)
            var gG = [Tensor<T>?](repeating: nil, count: gs.count), gS = gG
            var up = g.scalars                                  // ∂L/∂(current output)
            require(up.count == E * outWidth, "RadialMLP: gradient of \(up.count) values for [\(E), \(outWidth)]")
            if throughLast {
                var gw = Tensor<T>(shape: [fans[L], widths[L]], scalars: Self.uninitialized(fans[L] * widths[L]))
                Self.gemm(fans[L], widths[L], E, alphas[L], hs[L], true, up, false, &gw.scalars, beta: 0)
                gW[L] = gw
                if L > 0 || needX {
                    var down: [T] = Self.uninitialized(E * fans[L])
                    Self.gemm(E, fans[L], widths[L], alphas[L], up, false, wv[L].scalars, true, &down, beta: 0)
                    up = down
                }
            }
            for i in stride(from: L - 1, through: 0, by: -1) {
                // through k·act: ∂n = ∂h ⊙ k act'(n)
                pres[i].withUnsafeBufferPointer { pz in
                up.withUnsafeMutableBufferPointer { pu in
                    if relu {
                        for j in 0..<pu.count { pu[j] = pz[j] > 0 ? k * pu[j] : 0 }
                    } else {
                        sigs[i].withUnsafeBufferPointer { ps in
                            for j in 0..<pu.count {
                                let s = ps[j]
                                pu[j] *= k * s * (1 + pz[j] * (1 - s))
                            }
                        }
                    }
                }}
                if norm {
                    var gg = [T](repeating: 0, count: H), gs0 = gg
                    zhats[i].withUnsafeBufferPointer { pzh in
                    invs[i].withUnsafeBufferPointer { pi in
                    up.withUnsafeMutableBufferPointer { pu in
                        for r in 0..<E {
                            let row = pu.baseAddress! + r * H, zr = pzh.baseAddress! + r * H
                            var m1: T = 0, m2: T = 0
                            for j in 0..<H {
                                gg[j] += row[j] * zr[j]
                                gs0[j] += row[j]
                                let d = row[j] * gv[i][j]
                                row[j] = d
                                m1 += d; m2 += d * zr[j]
                            }
                            m1 /= T(H); m2 /= T(H)
                            for j in 0..<H { row[j] = pi[r] * (row[j] - m1 - zr[j] * m2) }
                        }
                    }}}
                    gG[i] = Tensor(shape: [H], scalars: gg)
                    gS[i] = Tensor(shape: [H], scalars: gs0)
                }
                if hasBias {
                    var gb = [T](repeating: 0, count: H)
                    up.withUnsafeBufferPointer { pu in
                        for r in 0..<E { for j in 0..<H { gb[j] += pu[r * H + j] } }
                    }
                    gB[i] = Tensor(shape: [H], scalars: gb)
                }
                var gw = Tensor<T>(shape: [fans[i], widths[i]], scalars: Self.uninitialized(fans[i] * widths[i]))
                Self.gemm(fans[i], widths[i], E, alphas[i], hs[i], true, up, false, &gw.scalars, beta: 0)
                gW[i] = gw
                if i > 0 || needX {
                    var down: [T] = Self.uninitialized(E * fans[i])
                    Self.gemm(E, fans[i], widths[i], alphas[i], up, false, wv[i].scalars, true, &down, beta: 0)
                    up = down
                }
            }
            let gx: Tensor<T>? = needX ? Tensor(shape: [E, fans[0]], scalars: up) : nil
            return [gx] + gW + gB + gG + gS
        }
    }

    /// `z[r, j] += b[j]` for `rows` rows of `width`.
    static func addRows<T: TensorScalar>(_ z: UnsafeMutableBufferPointer<T>, _ b: [T], _ rows: Int, _ width: Int) {
        for r in 0..<rows { for j in 0..<width { z[r * width + j] += b[j] } }
    }

    /// An array of `n` scalars left uninitialised, for GEMM outputs with `beta = 0` (which write
    /// every element; `gemm` zero-fills when the inner dimension is 0).
    static func uninitialized<T: TensorScalar>(_ n: Int) -> [T] {
        [T](unsafeUninitializedCapacity: n) { _, count in count = n }
    }

    /// Row-major `C = alpha · op(A) · op(B) + beta · C` with `op(A)` `[m, kk]`, `op(B)` `[kk, n]`.
    static func gemm<T: TensorScalar>(_ m: Int, _ n: Int, _ kk: Int, _ alpha: T, _ a: [T], _ ta: Bool,
                                      _ b: [T], _ tb: Bool, _ c: inout [T], beta: T) {
        guard m > 0, n > 0 else { return }
        guard kk > 0 else {
            if beta == 0 { for i in 0..<(m * n) { c[i] = 0 } }
            return
        }
        a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
        c.withUnsafeMutableBufferPointer { pc in
            T.gemm(transposeA: ta, transposeB: tb, m: m, n: n, k: kk, alpha: alpha,
                   a: pa.baseAddress!, lda: ta ? m : kk, b: pb.baseAddress!, ldb: tb ? kk : n,
                   beta: beta, c: pc.baseAddress!, ldc: n)
        }}}
    }
}
