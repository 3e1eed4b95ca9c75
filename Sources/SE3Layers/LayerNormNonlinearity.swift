import SE3Core
import SE3Math
import SE3Tensor

/// The SE(3)-Transformer's norm nonlinearity (NVIDIA's `NormSE3`), per node `n` and degree `l`,
/// over the channels `c` of that degree:
///
///     ‖f_c‖ = √(Σ_m f_cm² + ε)                                      (ε = 1e-8: finite at f = 0)
///     a_c   = γ_lc (‖f_c‖ − μ) / √(σ² + ε_LN) + β_lc                (a layer norm over the channels,
///                                                                   μ, σ² their mean and variance)
///     y_cm  = f_cm · ReLU(a_c) / ‖f_c‖
///
/// also on `l = 0` (a scalar keeps its sign). Equivariant: norms are invariant under `D^l(R)` and
/// the inversion, and each output is an invariant multiple of its input. Parameters `"<name>.gain"`
/// (1) and `"<name>.shift"` (0), `[lmax + 1, C]`. Backward, with `G_c = Σ_m g_cm f_cm`,
/// `s_c = ReLU(a_c)/‖f_c‖`, `∂a_c = [a_c > 0] G_c / ‖f_c‖`, `â_c` the normalised norm:
///
///     ∂γ = ∂a ⊙ â,   ∂β = ∂a,   ∂â = ∂a ⊙ γ
///     ∂‖f_c‖ = −G_c s_c / ‖f_c‖ + (∂â_c − mean(∂â) − â_c mean(∂â ⊙ â)) / √(σ² + ε_LN)
///     ∂f_cm = g_cm s_c + ∂‖f_c‖ f_cm / ‖f_c‖
public struct LayerNormNonlinearity: Sendable {
    public let lmax: Int
    public let channels: Int
    public let gain: Parameter
    public let shift: Parameter
    public static let epsilon = 1e-8
    public static let layerNormEpsilon = 1e-5

    public init<T>(store: ParameterStore<T>, name: String, lmax: Int, channels: Int, rng: inout SeededGenerator) throws {
        try LayerError.check(lmax >= 0, "LayerNormNonlinearity \(name)", "lmax", lmax, "must be >= 0")
        try LayerError.check(channels >= 1, "LayerNormNonlinearity \(name)", "channels", channels, "must be >= 1")
        self.lmax = lmax
        self.channels = channels
        gain = store.register("\(name).gain", shape: [lmax + 1, channels], initializer: .constant(1), rng: &rng)
        shift = store.register("\(name).shift", shape: [lmax + 1, channels], initializer: .zeros, rng: &rng)
    }

    public func callAsFunction<T>(_ x: SphericalFeatures<T>) -> SphericalFeatures<T> {
        require(x.lmax == lmax && x.channels == channels,
                "LayerNormNonlinearity: input lmax \(x.lmax), channels \(x.channels); expected \(lmax), \(channels)")
        let y = Self.apply(x.variable, x.tape.parameter(gain), x.tape.parameter(shift), lmax: lmax)
        return SphericalFeatures(y, lmax: lmax, channels: channels)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func apply<T>(_ x: Variable<T>, _ gain: Variable<T>, _ shift: Variable<T>, lmax: Int) -> Variable<T> {
        let N = x.shape[0], M = x.shape[1], C = x.shape[2], L = lmax + 1
        let eps = T(epsilon), epsLN = T(layerNormEpsilon)
        let xv = x.value, gv = gain.value.scalars, sv = shift.value.scalars
        var y = Tensor<T>(zeros: x.shape)
        // per (n, l, c): the norm, the normalised norm and the pre-activation; per (n, l): 1/σ
        var norms = [T](repeating: 0, count: N * L * C), hats = norms, pres = norms
        var invs = [T](repeating: 0, count: N * L)
        xv.scalars.withUnsafeBufferPointer { px in
        y.scalars.withUnsafeMutableBufferPointer { py in
            for n in 0..<N {
                for l in 0..<L {
                    let base = n * M * C + l * l * C, d = 2 * l + 1, k = (n * L + l) * C
                    var mean: T = 0
                    for c in 0..<C {
                        var s = eps
                        for m in 0..<d { let v = px[base + m * C + c]; s += v * v }
                        norms[k + c] = s.squareRoot()
                        mean += norms[k + c]
                    }
                    mean /= T(C)
                    var variance: T = 0
                    for c in 0..<C { let t = norms[k + c] - mean; variance += t * t }
                    let inv = 1 / (variance / T(C) + epsLN).squareRoot()
                    invs[n * L + l] = inv
                    for c in 0..<C {
                        let hat = (norms[k + c] - mean) * inv
                        let a = gv[l * C + c] * hat + sv[l * C + c]
                        hats[k + c] = hat
                        pres[k + c] = a
                        let scale = (a > 0 ? a : 0) / norms[k + c]
                        for m in 0..<d { py[base + m * C + c] = px[base + m * C + c] * scale }
                    }
                }
            }
        }}
        let needX = x.requiresGrad, needG = gain.requiresGrad || shift.requiresGrad
        let xShape = x.shape
        return x.tape.custom(value: y, inputs: [x, gain, shift]) { g in
            var gx = Tensor<T>(zeros: xShape)
            var gg = [T](repeating: 0, count: L * C), gs = gg
            var dhat = [T](repeating: 0, count: C), dnorm = dhat
            g.scalars.withUnsafeBufferPointer { pg in
            xv.scalars.withUnsafeBufferPointer { px in
            gx.scalars.withUnsafeMutableBufferPointer { pgx in
                for n in 0..<N {
                    for l in 0..<L {
                        let base = n * M * C + l * l * C, d = 2 * l + 1, k = (n * L + l) * C
                        var m1: T = 0, m2: T = 0
                        for c in 0..<C {
                            var G: T = 0
                            for m in 0..<d { G += pg[base + m * C + c] * px[base + m * C + c] }
                            let norm = norms[k + c], a = pres[k + c]
                            let r: T = a > 0 ? a : 0
                            let da: T = a > 0 ? G / norm : 0
                            gg[l * C + c] += da * hats[k + c]
                            gs[l * C + c] += da
                            let dh = da * gv[l * C + c]
                            dhat[c] = dh
                            m1 += dh; m2 += dh * hats[k + c]
                            dnorm[c] = -G * r / (norm * norm)
                        }
                        m1 /= T(C); m2 /= T(C)
                        let inv = invs[n * L + l]
                        for c in 0..<C {
                            let norm = norms[k + c], a = pres[k + c]
                            let total = dnorm[c] + inv * (dhat[c] - m1 - hats[k + c] * m2)
                            let scale = (a > 0 ? a : 0) / norm
                            for m in 0..<d {
                                let j = base + m * C + c
                                pgx[j] = pg[j] * scale + total * px[j] / norm
                            }
                        }
                    }
                }
            }}}
            let gGain: Tensor<T>? = needG ? Tensor(shape: [L, C], scalars: gg) : nil
            let gShift: Tensor<T>? = needG ? Tensor(shape: [L, C], scalars: gs) : nil
            return [needX ? gx : nil, gGain, gShift]
        }
    }
}
