import SE3Math
import SE3Tensor

/// The radial network `R(r)` of seed eq. 5: a bias-free MLP from the radial embedding
/// `[E, inputs]` to per-edge weights `[E, outputs]` (for a tensor product `outputs = P · C`,
/// read as `[E, P, C]`):
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

    /// `[E, inputs] → [E, outputs]`; the tape must have the store the weights live in.
    public func callAsFunction<T>(_ x: Variable<T>) -> Variable<T> {
        layerCheck(x.rank == 2 && x.shape[1] == inputs, "RadialMLP: input shape \(x.shape), expected [E, \(inputs)]")
        let tape = x.tape
        var h = x
        for (i, p) in weights.enumerated() {
            let last = i == weights.count - 1
            h = Self.dense(h, tape.parameter(p), activation: !last)
        }
        return h
    }

    /// One fused layer: `y = k · SiLU(a · x W)` (or `y = a · x W` without activation),
    /// `a = 1/√fan_in`, `k = ActivationNormalization.silu`; one GEMM (alpha = a) and one
    /// element-wise pass. Backward: `∂z = k · SiLU'(z) · G`, `∂x = a · ∂z Wᵀ`, `∂W = a · xᵀ ∂z`.
    static func dense<T>(_ x: Variable<T>, _ w: Variable<T>, activation: Bool) -> Variable<T> {
        let E = x.shape[0], fanIn = w.shape[0], fanOut = w.shape[1]
        let a = 1 / T(fanIn).squareRoot(), k = T(ActivationNormalization.silu)
        let xv = x.value, wv = w.value
        var z = uninitializedTensor([E, fanOut], as: T.self)   // fully written by the GEMM (beta 0)
        if E > 0 {
            xv.scalars.withUnsafeBufferPointer { px in
            wv.scalars.withUnsafeBufferPointer { pw in
            z.scalars.withUnsafeMutableBufferPointer { pz in
                T.gemm(transposeA: false, transposeB: false, m: E, n: fanOut, k: fanIn, alpha: a,
                       a: px.baseAddress!, lda: fanIn, b: pw.baseAddress!, ldb: fanOut,
                       beta: 0, c: pz.baseAddress!, ldc: fanOut)
            }}}
        }
        var y = z
        if activation {
            y.scalars.withUnsafeMutableBufferPointer { py in
                for i in 0..<py.count { py[i] = k * siluValue(py[i]) }
            }
        }
        let needX = x.requiresGrad, needW = w.requiresGrad
        let pre = activation ? z : Tensor<T>(zeros: [0])
        return x.tape.custom(value: y, inputs: [x, w]) { g in
            var dz = g
            if activation {
                dz.scalars.withUnsafeMutableBufferPointer { pd in
                    pre.scalars.withUnsafeBufferPointer { pz in
                        for i in 0..<pd.count { pd[i] *= k * siluDerivative(pz[i]) }
                    }
                }
            }
            guard E > 0 else {
                return [needX ? Tensor<T>(zeros: [E, fanIn]) : nil, needW ? Tensor<T>(zeros: [fanIn, fanOut]) : nil]
            }
            var gx: Tensor<T>? = needX ? uninitializedTensor([E, fanIn], as: T.self) : nil
            var gw: Tensor<T>? = needW ? uninitializedTensor([fanIn, fanOut], as: T.self) : nil
            dz.scalars.withUnsafeBufferPointer { pd in
                if gx != nil {
                    wv.scalars.withUnsafeBufferPointer { pw in
                    gx!.scalars.withUnsafeMutableBufferPointer { pgx in
                        T.gemm(transposeA: false, transposeB: true, m: E, n: fanIn, k: fanOut, alpha: a,
                               a: pd.baseAddress!, lda: fanOut, b: pw.baseAddress!, ldb: fanOut,
                               beta: 0, c: pgx.baseAddress!, ldc: fanIn)
                    }}
                }
                if gw != nil {
                    xv.scalars.withUnsafeBufferPointer { px in
                    gw!.scalars.withUnsafeMutableBufferPointer { pgw in
                        T.gemm(transposeA: true, transposeB: false, m: fanIn, n: fanOut, k: E, alpha: a,
                               a: px.baseAddress!, lda: fanIn, b: pd.baseAddress!, ldb: fanOut,
                               beta: 0, c: pgw.baseAddress!, ldc: fanOut)
                    }}
                }
            }
            return [gx, gw]
        }
    }
}

/// A tensor whose scalars are left uninitialised (to be fully overwritten, e.g. by a GEMM with
/// `beta = 0`); avoids zero-filling large per-edge buffers twice.
@inline(__always)
func uninitializedTensor<T: TensorScalar>(_ shape: [Int], as: T.Type) -> Tensor<T> {
    let n = shape.reduce(1, *)
    return Tensor(shape: shape, scalars: [T](unsafeUninitializedCapacity: n) { _, k in k = n })
}
