import SE3Core
import SE3Math
import SE3Tensor

/// A dense layer on rows, `y = s · x W (+ b)`, `W ~ N(0, 1)`, `b = 0`, with `s = 1/√fan_in` (in
/// the forward pass, as every se3 layer) unless given: `s = 1/√⟨|x|²⟩` keeps unit-variance outputs
/// for inputs whose rows are not unit-variance per column (a sparse radial basis). For invariant
/// features only (it mixes every column). Parameters `"<name>.w"` `[in, out]` and, with `bias`,
/// `"<name>.b"` `[out]`.
public struct Dense: Sendable {
    public let weight: Parameter
    public let bias: Parameter?
    /// `s`.
    public let scale: Double

    public init<T>(store: ParameterStore<T>, name: String, inputs: Int, outputs: Int, bias: Bool = true, scale: Double? = nil,
                   rng: inout SeededGenerator) throws {
        try LayerError.check(inputs >= 1 && outputs >= 1, "Dense \(name)", "sizes", "\(inputs) → \(outputs)", "must be >= 1")
        try LayerError.check(scale.map { $0 > 0 && $0.isFinite } ?? true, "Dense \(name)", "scale", scale ?? 0, "must be positive")
        weight = store.register("\(name).w", shape: [inputs, outputs], initializer: .normal(std: 1), rng: &rng)
        self.bias = bias ? store.register("\(name).b", shape: [outputs], initializer: .zeros, rng: &rng) : nil
        self.scale = scale ?? 1 / Double(inputs).squareRoot()
    }

    /// `[R, in] → [R, out]`.
    public func callAsFunction<T>(_ x: Variable<T>) -> Variable<T> {
        let tape = x.tape
        let y = matmul(x, tape.parameter(weight)) * T(scale)
        guard let bias else { return y }
        return addRowVector(y, tape.parameter(bias))
    }
}
