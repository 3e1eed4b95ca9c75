import SE3Core
/// AdamW (Loshchilov & Hutter): decoupled weight decay.
///
/// With g the gradient, for each parameter θ (one pass over the contiguous buffers):
///   m ← β1 m + (1-β1) g,  v ← β2 v + (1-β2) g²,
///   m̂ = m / (1-β1^t),  v̂ = v / (1-β2^t),
///   θ ← θ - lr · (m̂ / (√v̂ + ε) + λ θ).
/// Moments are kept in Double-free storage of the parameter type.
public struct AdamW<T: BinaryFloatingPoint>: Equatable {
    public var beta1: Double
    public var beta2: Double
    public var eps: Double
    public var weightDecay: Double
    /// First and second moments, same layout as the parameter buffer.
    public var m: [T]
    public var v: [T]
    /// Number of steps taken.
    public var step: Int

    public init(count: Int, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8, weightDecay: Double = 0) {
        self.beta1 = beta1; self.beta2 = beta2; self.eps = eps; self.weightDecay = weightDecay
        m = [T](repeating: 0, count: count)
        v = [T](repeating: 0, count: count)
        step = 0
    }

    /// One update of `parameters` from `gradients` at learning rate `lr`.
    public mutating func update(parameters: inout [T], gradients: [T], lr: Double) {
        require(parameters.count == m.count && gradients.count == m.count, "AdamW.update: \(parameters.count) parameters and \(gradients.count) gradients for \(m.count) moments")
        step += 1
        let b1 = T(beta1), b2 = T(beta2)
        let c1 = T(1 - pow(beta1, Double(step))), c2 = T(1 - pow(beta2, Double(step)))
        let lrT = T(lr), epsT = T(eps), decay = T(lr * weightDecay)
        let n = m.count
        m.withUnsafeMutableBufferPointer { mp in
            v.withUnsafeMutableBufferPointer { vp in
                parameters.withUnsafeMutableBufferPointer { p in
                    gradients.withUnsafeBufferPointer { g in
                        for i in 0..<n {
                            let gi = g[i]
                            let mi = b1 * mp[i] + (1 - b1) * gi
                            let vi = b2 * vp[i] + (1 - b2) * gi * gi
                            mp[i] = mi
                            vp[i] = vi
                            let mhat = mi / c1, vhat = vi / c2
                            p[i] -= lrT * mhat / (vhat.squareRoot() + epsT) + decay * p[i]
                        }
                    }
                }
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
