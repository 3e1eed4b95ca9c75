import SE3Data
import SE3Models
import SE3Tensor

/// One forward pass on a batch, and its outputs as plain arrays.
enum ModelRunner {
    /// Standardised outputs (Double, same layout as the batch targets) after a forward pass on `tape`.
    static func forward<T>(_ model: any GraphModel<T>, batch: GraphBatch, tape: Tape<T>) throws
        -> [String: Variable<T>] {
        try model.forward(AtomGraph(batch), tape: tape)
    }

    /// Every target's prediction in standardised units on `tape`: the heads' outputs, and for a
    /// conservative force target `F/σ_F = −(σ_E/σ_F) ∂ŷ_E/∂x` (one backward pass with the
    /// parameters as constants; recorded as constants, as are the other outputs then).
    static func predict<T>(_ model: any GraphModel<T>, normalizer: TargetNormalizer, batch: GraphBatch,
                           tape: Tape<T>) throws -> [String: Variable<T>] {
        guard let forces = normalizer.conservativeForces else { return try forward(model, batch: batch, tape: tape) }
        let r = try ConservativeForces.gradients(model, graph: AtomGraph(batch), energy: forces.energy.name)
        var out = r.outputs.mapValues { tape.constant($0) }
        out[forces.forces.name] = tape.constant(r.positions * T(-forces.scale))
        return out
    }

    static func values<T>(_ outputs: [String: Variable<T>]) -> [String: [Double]] {
        outputs.mapValues { $0.value.scalars.map(Double.init) }
    }

    /// Predictions of 0 in standardised units (the mean predictor), in the batch layout.
    static func zeros(_ normalizer: TargetNormalizer, batch: GraphBatch) -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for t in normalizer.targets {
            let rows = t.level == .graph ? batch.graphCount : batch.atomCount
            out[t.name] = [Double](repeating: 0, count: rows * t.components)
        }
        return out
    }
}

/// FNV-1a (64-bit) over the IEEE bit patterns of a parameter buffer, as 16 hex digits: equal
/// strings on two ranks mean bit-identical parameters.
public func parameterChecksum<T: TensorScalar>(_ values: [T]) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    values.withUnsafeBytes { bytes in
        // the little-endian bytes of each value's bit pattern (x86-64, arm64)
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
    }
    let s = String(h, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
}
