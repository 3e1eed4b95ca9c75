import SE3Core
import SE3Math
import SE3Tensor

/// The radial network `R(r)` of seed eq. 5: a bias-free MLP from the radial embedding
/// `[R, inputs]` to tensor-product weights `[R, outputs]`, one row per edge or per atom pair
/// (the radius is the same both ways; `outputs = plan.weightsPerEdge`). The one radial MLP of
/// se3: every model and `se3 bench tensor-product` run this implementation.
///
///     h_1 = k · SiLU(x W_1 / √inputs),  h_{i+1} = k · SiLU(h_i W_{i+1} / √hidden),  y = h_L W_out / √hidden
///
/// **Initialisation** (e3nn style): every `W` is `N(0, 1)`; the `1/√fan_in` factor is applied
/// in the forward pass and `k = ActivationNormalization.silu` restores unit second moment
/// after each SiLU, so unit-variance inputs give unit-variance outputs at initialisation
/// independently of the widths (and Adam steps act on O(1) parameters).
/// **No biases**: a zero embedding (edges at or beyond the cutoff, where the envelope
/// vanishes) gives exactly zero weights, so messages switch off smoothly at the cutoff.
///
/// Parameters are registered as `"<name>.w0"`, `"<name>.w1"`, … (`[fan_in, fan_out]`).
public struct RadialMLP: Sendable {
    public let inputs: Int
    public let hidden: Int
    public let outputs: Int
    /// Number of hidden (SiLU) layers (default 2: Linear+SiLU, Linear+SiLU, Linear).
    public let hiddenLayers: Int
    public let weights: [Parameter]

    /// Registers the weights in `store`. Throws `LayerError` for non-positive sizes.
    public init<T>(store: ParameterStore<T>, name: String, inputs: Int, hidden: Int, outputs: Int,
                   hiddenLayers: Int = 2, rng: inout SeededGenerator) throws {
        try LayerError.check(inputs >= 1, "RadialMLP \(name)", "inputs", inputs, "must be >= 1")
        try LayerError.check(hidden >= 1, "RadialMLP \(name)", "hidden", hidden, "must be >= 1")
        try LayerError.check(outputs >= 1, "RadialMLP \(name)", "outputs", outputs, "must be >= 1")
        try LayerError.check(hiddenLayers >= 0, "RadialMLP \(name)", "hiddenLayers", hiddenLayers, "must be >= 0")
        self.inputs = inputs
        self.hidden = hidden
        self.outputs = outputs
        self.hiddenLayers = hiddenLayers
        var sizes = [inputs]
        sizes += [Int](repeating: hidden, count: hiddenLayers)
        sizes.append(outputs)
        var ws: [Parameter] = []
        for i in 0..<(sizes.count - 1) {
            ws.append(store.register("\(name).w\(i)", shape: [sizes[i], sizes[i + 1]],
                                     initializer: .normal(std: 1), rng: &rng))
        }
        weights = ws
    }

    /// `[E, inputs] → [E, outputs]`, recorded as ONE tape op (the tape must have the store the
    /// weights live in):
    ///
    ///     z_i = h_i W_i / √fan_i,  h_{i+1} = k · SiLU(z_i)  (hidden layers),  y = h_L W_L / √fan_L
    ///
    /// with every `1/√fan` folded into the GEMM's `alpha`, the SiLU computed in place from one
    /// `exp` per element (its logistic kept for the backward pass), and no intermediate tape
    /// nodes. Backward, with `G = ∂L/∂y`, `k' = k · σ(z)(1 + z(1 − σ(z)))`:
    ///
    ///     ∂W_L = h_Lᵀ G / √fan_L,   ∂h_L = G W_Lᵀ / √fan_L,
    ///     ∂z_i = ∂h_{i+1} ⊙ k'(z_i),   ∂W_i = h_iᵀ ∂z_i / √fan_i,   ∂h_i = ∂z_i W_iᵀ / √fan_i.
    public func callAsFunction<T>(_ x: Variable<T>) -> Variable<T> {
        require(x.rank == 2 && x.shape[1] == inputs, "RadialMLP: input shape \(x.shape), expected [E, \(inputs)]")
        let tape = x.tape
        let ws = weights.map { tape.parameter($0) }
        let wv = ws.map(\.value)
        let E = x.shape[0]
        let k = T(ActivationNormalization.silu)
        let layerCount = weights.count
        let fans = weights.map { $0.shape[0] }, widths = weights.map { $0.shape[1] }
        let alphas = fans.map { 1 / T($0).squareRoot() }
        // activations h_0 = x, h_1, …, h_L and the logistic σ(z_i) of each hidden layer
        var h: [[T]] = [x.value.scalars]
        var sig: [[T]] = []
        var pre: [[T]] = []
        for i in 0..<(layerCount - 1) {
            var z: [T] = Self.uninitialized(E * widths[i])                                   // written by the GEMM
            Self.gemm(E, widths[i], fans[i], alphas[i], h[i], false, wv[i].scalars, false, &z, beta: 0)
            var s = z, a = z
            z.withUnsafeBufferPointer { pz in
            s.withUnsafeMutableBufferPointer { ps in
            a.withUnsafeMutableBufferPointer { pa in
                for j in 0..<pz.count {
                    let zj = pz[j]
                    let sj = 1 / (1 + T.exp(-zj))               // exp overflow gives σ = 0 exactly, no NaN
                    ps[j] = sj
                    pa[j] = k * zj * sj
                }
            }}}
            pre.append(z); sig.append(s); h.append(a)
        }
        var y = Tensor<T>(shape: [E, outputs], scalars: Self.uninitialized(E * outputs))   // written by the GEMM
        Self.gemm(E, outputs, fans[layerCount - 1], alphas[layerCount - 1], h[layerCount - 1], false,
                  wv[layerCount - 1].scalars, false, &y.scalars, beta: 0)
        let needX = x.requiresGrad
        let hs = h, sigs = sig, pres = pre
        return tape.custom(value: y, inputs: [x] + ws) { g in
            var grads = [Tensor<T>?](repeating: nil, count: layerCount + 1)
            var up = g.scalars                                  // ∂L/∂(output of layer i)
            for i in stride(from: layerCount - 1, through: 0, by: -1) {
                if i < layerCount - 1 {                         // through k·SiLU: ∂z = ∂h ⊙ k σ (1 + z (1 − σ))
                    sigs[i].withUnsafeBufferPointer { ps in
                    pres[i].withUnsafeBufferPointer { pz in
                    up.withUnsafeMutableBufferPointer { pu in
                        for j in 0..<pu.count {
                            let s = ps[j]
                            pu[j] *= k * s * (1 + pz[j] * (1 - s))
                        }
                    }}}
                }
                var gw = Tensor<T>(shape: [fans[i], widths[i]], scalars: Self.uninitialized(fans[i] * widths[i]))
                Self.gemm(fans[i], widths[i], E, alphas[i], hs[i], true, up, false, &gw.scalars, beta: 0)
                grads[i + 1] = gw
                if i > 0 || needX {
                    var down: [T] = Self.uninitialized(E * fans[i])
                    Self.gemm(E, fans[i], widths[i], alphas[i], up, false, wv[i].scalars, true, &down, beta: 0)
                    up = down
                }
            }
            if needX { grads[0] = Tensor(shape: [E, fans[0]], scalars: up) }
            return grads
        }
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
