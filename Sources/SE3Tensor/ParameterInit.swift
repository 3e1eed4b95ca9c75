import SE3Math

/// How `ParameterStore.register` fills a new parameter. Random initialisers draw
/// from the given `SeededGenerator` in row-major order.
public enum ParameterInit: Hashable, Codable, Sendable {
    case zeros
    case ones
    case constant(Double)
    /// `std · N(0, 1)`.
    case normal(std: Double)
    /// Uniform in `[low, high)`.
    case uniform(Double, Double)
    /// Glorot/Xavier uniform: `U(-a, a)`, `a = sqrt(6 / (fanIn + fanOut))`.
    case glorot(fanIn: Int, fanOut: Int)
    /// LeCun normal: `N(0, 1/fanIn)` (unit-variance outputs for unit-variance inputs).
    case lecun(fanIn: Int)
    /// He/Kaiming normal: `N(0, 2/fanIn)` (for ReLU-like activations).
    case he(fanIn: Int)

    /// Draws `count` initial scalars.
    public func sample<T: TensorScalar>(count: Int, as: T.Type = T.self, using rng: inout SeededGenerator) -> [T] {
        func normals(_ std: Double) -> [T] { (0..<count).map { _ in T(rng.nextGaussian() * std) } }
        func uniforms(_ lo: Double, _ hi: Double) -> [T] {
            (0..<count).map { _ in T(lo + (hi - lo) * Double.random(in: 0..<1, using: &rng)) }
        }
        switch self {
        case .zeros: return [T](repeating: 0, count: count)
        case .ones: return [T](repeating: 1, count: count)
        case .constant(let c): return [T](repeating: T(c), count: count)
        case .normal(let std): return normals(std)
        case .uniform(let lo, let hi): return uniforms(lo, hi)
        case .glorot(let fanIn, let fanOut):
            let a = (6.0 / Double(max(1, fanIn + fanOut))).squareRoot()
            return uniforms(-a, a)
        case .lecun(let fanIn): return normals((1.0 / Double(max(1, fanIn))).squareRoot())
        case .he(let fanIn): return normals((2.0 / Double(max(1, fanIn))).squareRoot())
        }
    }
}
