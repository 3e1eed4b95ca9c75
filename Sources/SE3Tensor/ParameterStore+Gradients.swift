/// Global gradient norms and clipping (one pass over `grads`).
extension ParameterStore {
    /// Global L2 norm of all gradients, `sqrt(Σ_i grads[i]²)`, accumulated in Double.
    public func gradientNorm() -> T {
        var s = 0.0
        grads.withUnsafeBufferPointer { g in
            for x in g { let d = Double(x); s += d * d }
        }
        return T(s.squareRoot())
    }

    /// Global L2 norm of all values, accumulated in Double.
    public func valueNorm() -> T {
        var s = 0.0
        values.withUnsafeBufferPointer { v in
            for x in v { let d = Double(x); s += d * d }
        }
        return T(s.squareRoot())
    }

    /// Scales all gradients in place by `maxNorm / norm` when the global norm
    /// exceeds `maxNorm` (otherwise leaves them alone). Returns the norm
    /// measured *before* clipping. A non-finite norm leaves the gradients untouched.
    @discardableResult
    public func clipGradients(maxNorm: T) -> T {
        let norm = gradientNorm()
        guard norm.isFinite, norm > maxNorm, norm > 0 else { return norm }
        let scale = maxNorm / norm
        grads.withUnsafeMutableBufferPointer { g in
            for i in g.indices { g[i] *= scale }
        }
        return norm
    }

    /// Multiplies all gradients by `factor` (e.g. `1 / worldSize` after an allreduce).
    public func scaleGrads(by factor: T) {
        grads.withUnsafeMutableBufferPointer { g in
            for i in g.indices { g[i] *= factor }
        }
    }
}
