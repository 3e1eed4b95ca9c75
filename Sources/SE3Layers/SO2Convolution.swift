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
/// gives the same result. Every matrix is `N(0, 1)` with `1/√fan_in` in the forward pass, `act` is
/// `k·SiLU`. Parameters `"<name>.m<m>.…"`: `w1`, `w2` (m = 0), `w1r`, `w1i`, `w2r`, `w2i` (m > 0),
/// `edge.w`, `edge.b`.
public struct SO2Convolution: Sendable {
    public let layout: EdgeFrameLayout
    public let channelsIn: Int
    public let channelsOut: Int
    public let hidden: Int
    public let edgeChannels: Int
    /// Per order `m = 0…mmax`: the weights (`m = 0`: `[w1, w2]`; `m > 0`: `[w1r, w1i, w2r, w2i]`),
    /// the edge map and its bias.
    let weights: [[Parameter]]
    let edgeWeights: [Parameter]
    let edgeBiases: [Parameter]

    public init<T>(store: ParameterStore<T>, name: String, layout: EdgeFrameLayout, channelsIn: Int, channelsOut: Int,
                   hidden: Int, edgeChannels: Int, rng: inout SeededGenerator) throws {
        try LayerError.check(channelsIn >= 1 && channelsOut >= 1 && hidden >= 1 && edgeChannels >= 1, "SO2Convolution \(name)",
                             "sizes", "\(channelsIn), \(channelsOut), \(hidden), \(edgeChannels)", "must be >= 1")
        self.layout = layout; self.channelsIn = channelsIn; self.channelsOut = channelsOut
        self.hidden = hidden; self.edgeChannels = edgeChannels
        var ws: [[Parameter]] = [], ew: [Parameter] = [], eb: [Parameter] = []
        for m in 0...layout.mmax {
            let n = layout.lmax - m + 1, p = "\(name).m\(m)"
            let width = m == 0 ? hidden : 2 * hidden
            ew.append(store.register("\(p).edge.w", shape: [edgeChannels, width], initializer: .normal(std: 1), rng: &rng))
            eb.append(store.register("\(p).edge.b", shape: [width], initializer: .zeros, rng: &rng))
            func w(_ s: String, _ a: Int, _ b: Int) -> Parameter {
                store.register("\(p).\(s)", shape: [a, b], initializer: .normal(std: 1), rng: &rng)
            }
            if m == 0 {
                ws.append([w("w1", n * channelsIn, hidden), w("w2", hidden, n * channelsOut)])
            } else {
                ws.append([w("w1r", n * channelsIn, hidden), w("w1i", n * channelsIn, hidden),
                           w("w2r", hidden, n * channelsOut), w("w2i", hidden, n * channelsOut)])
            }
        }
        weights = ws; edgeWeights = ew; edgeBiases = eb
    }

    public func callAsFunction<T>(_ x: Variable<T>, edge: Variable<T>) -> Variable<T> {
        let E = x.shape[0], Ci = channelsIn, Co = channelsOut
        require(x.shape == [E, layout.count, Ci], "SO2Convolution: input shape \(x.shape), expected [E, \(layout.count), \(Ci)]")
        require(edge.shape == [E, edgeChannels], "SO2Convolution: edge embedding shape \(edge.shape), expected [E, \(edgeChannels)]")
        let tape = x.tape, k = T(ActivationNormalization.silu)
        func dense(_ v: Variable<T>, _ p: Parameter) -> Variable<T> {
            matmul(v, tape.parameter(p)) * (1 / T(p.shape[0]).squareRoot())
        }
        func block(_ m: Int) -> Variable<T> {
            let r = layout.rows(m: m)
            return reshape(slice(x, axis: 1, range: r), [E, r.count * Ci])
        }
        var parts: [Variable<T>] = []
        for m in 0...layout.mmax {
            let n = layout.lmax - m + 1
            let e = silu(addRowVector(dense(edge, edgeWeights[m]), tape.parameter(edgeBiases[m]))) * k
            if m == 0 {
                let y = dense(dense(block(0), weights[0][0]) * e, weights[0][1])
                parts.append(reshape(y, [E, n, Co]))
                continue
            }
            let er = sliceColumns(e, 0..<hidden), ei = sliceColumns(e, hidden..<(2 * hidden))
            let w = weights[m]
            func P(_ v: Variable<T>) -> Variable<T> { dense(dense(v, w[0]) * er, w[2]) }
            func Q(_ v: Variable<T>) -> Variable<T> { dense(dense(v, w[1]) * ei, w[3]) }
            let plus = block(m), minus = block(-m)
            parts.append(reshape(P(plus) - Q(minus), [E, n, Co]))
            parts.append(reshape(P(minus) + Q(plus), [E, n, Co]))
        }
        return concat(parts, axis: 1)
    }
}
