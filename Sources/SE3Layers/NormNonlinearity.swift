import SE3Core
import SE3Math
import SE3Tensor

/// The TFN norm nonlinearity (seed "Nonlinearity"), per node `n`, degree `l`, channel `c`:
///
///     l = 0:  y = η(V + b_0c),               η = SiLU
///     l > 0:  y_m = σ(‖V‖ + b_lc) · V_m,      σ = logistic sigmoid,
///             ‖V‖ = √(Σ_m V_m² + ε),          ε = 1e-8 (keeps ‖V‖ and its gradient finite at V = 0)
///
/// Equivariant: `‖V‖` is invariant under `D^l(R)` (orthogonal) and under the inversion
/// (`V ↦ ±V`), and `y` is an invariant scalar times `V`. Biases `b` `[lmax+1, C]`, zero at
/// initialisation, are registered as `"<name>.bias"`. Forward and backward are hand-written:
///
///     l > 0:  ∂V_m = σ G_m + σ(1 − σ) (Σ_k G_k V_k) V_m / ‖V‖,   ∂b = σ(1 − σ) Σ_k G_k V_k
///     l = 0:  ∂V = G · SiLU'(V + b),                               ∂b = Σ_n ∂V
public struct NormNonlinearity: Sendable {
    public let lmax: Int
    public let channels: Int
    public let bias: Parameter
    /// `ε` inside the norm.
    public static let epsilon = 1e-8

    /// Registers the biases. Throws `LayerError` for invalid sizes.
    public init<T>(store: ParameterStore<T>, name: String, lmax: Int, channels: Int,
                   rng: inout SeededGenerator) throws {
        try LayerError.check(lmax >= 0, "NormNonlinearity \(name)", "lmax", lmax, "must be >= 0")
        try LayerError.check(channels >= 1, "NormNonlinearity \(name)", "channels", channels, "must be >= 1")
        self.lmax = lmax
        self.channels = channels
        bias = store.register("\(name).bias", shape: [lmax + 1, channels], initializer: .zeros, rng: &rng)
    }

    public func callAsFunction<T>(_ x: SphericalFeatures<T>) -> SphericalFeatures<T> {
        require(x.lmax == lmax && x.channels == channels,
                   "NormNonlinearity: input lmax \(x.lmax), channels \(x.channels); expected \(lmax), \(channels)")
        let b = x.tape.parameter(bias)
        return SphericalFeatures(Self.apply(x.variable, b, lmax: lmax), lmax: lmax, channels: channels)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func apply<T>(_ x: Variable<T>, _ b: Variable<T>, lmax: Int) -> Variable<T> {
        let N = x.shape[0], M = x.shape[1], C = x.shape[2]
        let eps = T(epsilon)
        let xv = x.value, bv = b.value
        var y = Tensor<T>(zeros: x.shape)
        // per (n, l ≥ 1, c): σ and ‖V‖ kept for the backward pass
        let gates = N * lmax * C
        var sig = [T](repeating: 0, count: gates), norm = sig
        xv.scalars.withUnsafeBufferPointer { px in
        bv.scalars.withUnsafeBufferPointer { pb in
        y.scalars.withUnsafeMutableBufferPointer { py in
        sig.withUnsafeMutableBufferPointer { ps in
        norm.withUnsafeMutableBufferPointer { pn in
            for n in 0..<N {
                let xr = px.baseAddress! + n * M * C, yr = py.baseAddress! + n * M * C
                for c in 0..<C { yr[c] = siluValue(xr[c] + pb[c]) }
                guard lmax > 0 else { continue }
                for l in 1...lmax {
                    let base = l * l * C, d = 2 * l + 1
                    let gi = (n * lmax + l - 1) * C
                    for c in 0..<C {
                        var s: T = eps
                        for m in 0..<d { let v = xr[base + m * C + c]; s += v * v }
                        let r = s.squareRoot()
                        let g = logisticValue(r + pb[l * C + c])
                        ps[gi + c] = g
                        pn[gi + c] = r
                        for m in 0..<d { yr[base + m * C + c] = g * xr[base + m * C + c] }
                    }
                }
            }
        }}}}}
        let needX = x.requiresGrad, needB = b.requiresGrad
        let xShape = x.shape, bShape = b.shape
        let rule: Tape<T>.ForwardRule = { v, _, t in
            require(t[1] == nil, "NormNonlinearity: forward mode with a tangent of the bias")
            return t[0].map { tangent(x: v[0], bias: v[1], dx: $0, lmax: lmax) }
        }
        return x.tape.custom(value: y, inputs: [x, b], forward: rule) { g in
            var gx = Tensor<T>(zeros: xShape)
            var gb = Tensor<T>(zeros: bShape)
            g.scalars.withUnsafeBufferPointer { pg in
            xv.scalars.withUnsafeBufferPointer { px in
            bv.scalars.withUnsafeBufferPointer { pb in
            gx.scalars.withUnsafeMutableBufferPointer { pgx in
            gb.scalars.withUnsafeMutableBufferPointer { pgb in
            sig.withUnsafeBufferPointer { ps in
            norm.withUnsafeBufferPointer { pn in
                for n in 0..<N {
                    let o = n * M * C
                    let xr = px.baseAddress! + o, gr = pg.baseAddress! + o, gxr = pgx.baseAddress! + o
                    for c in 0..<C {
                        let d = gr[c] * siluDerivative(xr[c] + pb[c])
                        gxr[c] = d
                        pgb[c] += d
                    }
                    guard lmax > 0 else { continue }
                    for l in 1...lmax {
                        let base = l * l * C, dm = 2 * l + 1
                        let gi = (n * lmax + l - 1) * C
                        for c in 0..<C {
                            let s = ps[gi + c], r = pn[gi + c]
                            var dot: T = 0
                            for m in 0..<dm { dot += gr[base + m * C + c] * xr[base + m * C + c] }
                            let ds = s * (1 - s) * dot
                            pgb[l * C + c] += ds
                            let k = ds / r
                            for m in 0..<dm {
                                let j = base + m * C + c
                                gxr[j] = s * gr[j] + k * xr[j]
                            }
                        }
                    }
                }
            }}}}}}}
            return [needX ? gx : nil, needB ? gb : nil]
        }
    }
}

/// Numerically stable logistic `1/(1 + e^{−x})`.
@inline(__always) @usableFromInline
func logisticValue<T: TensorScalar>(_ x: T) -> T {
    if x >= 0 { return 1 / (1 + T.exp(-x)) }
    let e = T.exp(x)
    return e / (1 + e)
}

/// `x σ(x)`.
@inline(__always) @usableFromInline
func siluValue<T: TensorScalar>(_ x: T) -> T { x * logisticValue(x) }

/// `σ(x) (1 + x (1 − σ(x)))`.
@inline(__always) @usableFromInline
func siluDerivative<T: TensorScalar>(_ x: T) -> T {
    let s = logisticValue(x)
    return s * (1 + x * (1 - s))
}
