import SE3Core
/// Exponential moving average of the weights: ŵ ← d ŵ + (1 - d) w after every step,
/// with the warm-up d_t = min(d, (1 + t) / (10 + t)) so early averages are not dominated by
/// the random initialisation. Evaluation and the best checkpoint use ŵ.
public struct ExponentialMovingAverage<T: BinaryFloatingPoint>: Equatable {
    public var decay: Double
    public var weights: [T]
    public var updates: Int

    public init(decay: Double, initial: [T]) {
        self.decay = decay
        self.weights = initial
        self.updates = 0
    }

    public mutating func update(with parameters: [T]) {
        require(parameters.count == weights.count, "ExponentialMovingAverage.update: \(parameters.count) parameters for \(weights.count) weights")
        let d = T(min(decay, Double(1 + updates) / Double(10 + updates)))
        updates += 1
        let n = weights.count
        weights.withUnsafeMutableBufferPointer { w in
            parameters.withUnsafeBufferPointer { p in
                for i in 0..<n { w[i] = d * w[i] + (1 - d) * p[i] }
            }
        }
    }
}
