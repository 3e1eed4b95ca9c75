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
        let k = T(ActivationNormalization.silu)
        var h = x
        for (i, p) in weights.enumerated() {
            let w = tape.parameter(p)
            let fanIn = T(p.shape[0])
            let last = i == weights.count - 1
            h = matmul(h, w)
            if last {
                h = h * (1 / fanIn.squareRoot())
            } else {
                // SiLU(z / √fan_in) · k with the scale folded into one op each
                h = silu(h * (1 / fanIn.squareRoot())) * k
            }
        }
        return h
    }
}
