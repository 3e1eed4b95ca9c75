import SE3Data
import SE3Models
import SE3Tensor

/// One forward pass on a batch, and its outputs as plain arrays.
enum ModelRunner {
    /// Standardised outputs (Double, same layout as the batch targets) after a forward pass on `tape`.
    static func forward(_ model: any GraphModel<Float>, batch: GraphBatch, tape: Tape<Float>) throws
        -> [String: Variable<Float>] {
        try model.forward(AtomGraph(batch), tape: tape)
    }

    /// Every target's prediction in standardised units on `tape`: the heads' outputs, and for a
    /// conservative force target `F/σ_F = −(σ_E/σ_F) ∂ŷ_E/∂x` (one backward pass with the
    /// parameters as constants; recorded as constants, as are the other outputs then).
    static func predict(_ model: any GraphModel<Float>, normalizer: TargetNormalizer, batch: GraphBatch,
                        tape: Tape<Float>) throws -> [String: Variable<Float>] {
        guard let forces = normalizer.conservativeForces else { return try forward(model, batch: batch, tape: tape) }
        let r = try ConservativeForces.gradients(model, graph: AtomGraph(batch), energy: forces.energy.name)
        var out = r.outputs.mapValues { tape.constant($0) }
        out[forces.forces.name] = tape.constant(r.positions * Float(-forces.scale))
        return out
    }

    static func values(_ outputs: [String: Variable<Float>]) -> [String: [Double]] {
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
public func parameterChecksum(_ values: [Float]) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    values.withUnsafeBufferPointer { p in
        for v in p {
            var bits = v.bitPattern
            for _ in 0..<4 {
                h ^= UInt64(bits & 0xff)
                h = h &* 0x0000_0100_0000_01b3
                bits >>= 8
            }
        }
    }
    let s = String(h, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
}
