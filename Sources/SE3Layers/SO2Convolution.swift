import SE3Core
import SE3Math
import SE3Tensor

/// eSCN's SO(2) convolution (seed eq. 15–16; fairchem's `SO2Block`) on features in an edge frame
/// (`EdgeFrameLayout`, `[E, rows, C_in]` → `[E, rows, C_out]`), modulated per edge by an invariant
/// edge embedding `h_e` `[E, C_edge]`:
///
///     m = 0:   y_0  = W₂⁰ ( act(W_e⁰ h_e + b⁰) ⊙ W₁⁰ x_0 )                   x_0 = (l = 0…L, m = 0) · C_in
///     m > 0:   [e_r | e_i] = act(W_eᵐ h_e + bᵐ)
///              P(v) = W₂ʳ (e_r ⊙ W₁ʳ v),   Q(v) = W₂ⁱ (e_i ⊙ W₁ⁱ v)
///              y_{+m} = P(x_{+m}) − Q(x_{−m}),   y_{−m} = P(x_{−m}) + Q(x_{+m})   (eq. 16: a complex product)
///
/// `x_{±m}` are the `(l = m…L, ±m)` rows times the channels. The complex form commutes with
/// rotations about the edge axis (which turn `(x_{+m}, x_{−m})` by `mα`), so any roll of the frame
/// gives the same result. Every matrix is `N(0, 1)` with `1/√fan_in` in the forward pass (`W₁`:
/// `(L − m + 1)·C_in`, `W₂`: `hidden`, `W_e`: `C_edge`), `act` is `k·SiLU`.
///
/// Parameters `"<name>.m<m>.…"`: `w1` `[(L−m+1)·C_in, width]` (`width` = `hidden` for `m = 0`,
/// `2·hidden` for `m > 0`: the columns of `W₁ʳ` then of `W₁ⁱ`), `w2` `[width, (L−m+1)·C_out]`
/// (the rows of `W₂ʳ` then of `W₂ⁱ`), `edge.w` `[C_edge, width]`, `edge.b` `[width]` (`e_r` then
/// `e_i`). `EdgeFrameMessages` runs two of these, the grid activation and the rotations as one
/// fused op; `callAsFunction` is the same map from separate tape ops.
public struct SO2Convolution: Sendable {
    public let layout: EdgeFrameLayout
    public let channelsIn: Int
    public let channelsOut: Int
    public let hidden: Int
    public let edgeChannels: Int
    /// Per order `m = 0…mmax`.
    public let w1: [Parameter]
    public let w2: [Parameter]
    public let edgeWeights: [Parameter]
    public let edgeBiases: [Parameter]

    public init<T>(store: ParameterStore<T>, name: String, layout: EdgeFrameLayout, channelsIn: Int, channelsOut: Int,
                   hidden: Int, edgeChannels: Int, rng: inout SeededGenerator) throws {
        try LayerError.check(channelsIn >= 1 && channelsOut >= 1 && hidden >= 1 && edgeChannels >= 1, "SO2Convolution \(name)",
                             "sizes", "\(channelsIn), \(channelsOut), \(hidden), \(edgeChannels)", "must be >= 1")
        self.layout = layout; self.channelsIn = channelsIn; self.channelsOut = channelsOut
        self.hidden = hidden; self.edgeChannels = edgeChannels
        var a: [Parameter] = [], b: [Parameter] = [], ew: [Parameter] = [], eb: [Parameter] = []
        for m in 0...layout.mmax {
            let n = layout.lmax - m + 1, p = "\(name).m\(m)", width = m == 0 ? hidden : 2 * hidden
            ew.append(store.register("\(p).edge.w", shape: [edgeChannels, width], initializer: .normal(std: 1), rng: &rng))
            eb.append(store.register("\(p).edge.b", shape: [width], initializer: .zeros, rng: &rng))
            a.append(store.register("\(p).w1", shape: [n * channelsIn, width], initializer: .normal(std: 1), rng: &rng))
            b.append(store.register("\(p).w2", shape: [width, n * channelsOut], initializer: .normal(std: 1), rng: &rng))
        }
        w1 = a; w2 = b; edgeWeights = ew; edgeBiases = eb
    }

    /// Gate width of order `m` (`hidden` or `2·hidden`).
    public func width(m: Int) -> Int { m == 0 ? hidden : 2 * hidden }

    /// Every parameter, order by order (`w1`, `w2`, `edge.w`, `edge.b`).
    public var parameters: [Parameter] {
        (0...layout.mmax).flatMap { [w1[$0], w2[$0], edgeWeights[$0], edgeBiases[$0]] }
    }

    public func callAsFunction<T>(_ x: Variable<T>, edge: Variable<T>) -> Variable<T> {
        let E = x.shape[0], Ci = channelsIn, Co = channelsOut, h = hidden
        require(x.shape == [E, layout.count, Ci], "SO2Convolution: input shape \(x.shape), expected [E, \(layout.count), \(Ci)]")
        require(edge.shape == [E, edgeChannels], "SO2Convolution: edge embedding shape \(edge.shape), expected [E, \(edgeChannels)]")
        let tape = x.tape, k = T(ActivationNormalization.silu)
        func dense(_ v: Variable<T>, _ p: Parameter, fanIn: Int) -> Variable<T> {
            matmul(v, tape.parameter(p)) * (1 / T(fanIn).squareRoot())
        }
        func block(_ m: Int) -> Variable<T> {
            let r = layout.rows(m: m)
            return reshape(slice(x, axis: 1, range: r), [E, r.count * Ci])
        }
        var parts: [Variable<T>] = []
        for m in 0...layout.mmax {
            let n = layout.lmax - m + 1
            let e = silu(addRowVector(dense(edge, edgeWeights[m], fanIn: edgeChannels), tape.parameter(edgeBiases[m])), scale: k)
            if m == 0 {
                let y = dense(dense(block(0), w1[0], fanIn: n * Ci) * e, w2[0], fanIn: h)
                parts.append(reshape(y, [E, n, Co]))
                continue
            }
            let er = sliceColumns(e, 0..<h), ei = sliceColumns(e, h..<(2 * h))
            let up = dense(block(m), w1[m], fanIn: n * Ci), um = dense(block(-m), w1[m], fanIn: n * Ci)
            let vp = concat([sliceColumns(up, 0..<h) * er, (sliceColumns(um, h..<(2 * h)) * ei) * -1], axis: 1)
            let vm = concat([sliceColumns(um, 0..<h) * er, sliceColumns(up, h..<(2 * h)) * ei], axis: 1)
            parts.append(reshape(dense(vp, w2[m], fanIn: h), [E, n, Co]))
            parts.append(reshape(dense(vm, w2[m], fanIn: h), [E, n, Co]))
        }
        return concat(parts, axis: 1)
    }
}
