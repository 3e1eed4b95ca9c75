import SE3Math

extension Tensor {
    /// Independent samples `std · N(0, 1)` (Box–Muller from `SeededGenerator.nextGaussian`),
    /// drawn in row-major order so a seed fixes the tensor.
    public static func randomNormal(shape: [Int], std: T = 1, using rng: inout SeededGenerator) -> Tensor {
        let s = Double(std)
        var t = Tensor(zeros: shape)
        for i in 0..<t.count { t.scalars[i] = T(rng.nextGaussian() * s) }
        return t
    }

    /// Independent samples uniform in `[low, high)`, drawn in row-major order.
    public static func randomUniform(shape: [Int], low: T = 0, high: T = 1,
                                     using rng: inout SeededGenerator) -> Tensor {
        let lo = Double(low), hi = Double(high)
        var t = Tensor(zeros: shape)
        for i in 0..<t.count { t.scalars[i] = T(lo + (hi - lo) * Double.random(in: 0..<1, using: &rng)) }
        return t
    }
}
