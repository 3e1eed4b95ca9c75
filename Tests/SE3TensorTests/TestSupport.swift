import SE3Math
import SE3Tensor
import Foundation
import XCTest

/// Fixed-seed random tensors for tests.
func randomTensor(_ shape: [Int], seed: UInt64, std: Double = 1) -> Tensor<Double> {
    var rng = SeededGenerator(seed: seed)
    return Tensor<Double>.randomNormal(shape: shape, std: std, using: &rng)
}

/// Random tensor with all |x| in [0.2, 1.7] (away from kinks of relu/abs and poles of log/1/x).
func awayFromZero(_ shape: [Int], seed: UInt64, positive: Bool = false) -> Tensor<Double> {
    var rng = SeededGenerator(seed: seed)
    var t = Tensor<Double>.randomUniform(shape: shape, low: 0.2, high: 1.7, using: &rng)
    if !positive {
        for i in 0..<t.count where rng.next() & 1 == 1 { t.scalars[i] = -t.scalars[i] }
    }
    return t
}

/// Σ w ⊙ y with fixed random weights: a scalar whose gradient exercises every output element.
func weightedSum(_ tape: Tape<Double>, _ y: Variable<Double>, seed: UInt64 = 99) -> Variable<Double> {
    sum(y * tape.constant(randomTensor(y.shape, seed: seed)))
}

let gradTolerance = 1e-6
