import SE3Distributed
import SE3Tensor

/// What all ranks agree on after a step: the global number of structures, the global loss sum,
/// whether any rank asked to stop (SIGTERM/SIGINT) and whether any rank's checkpoint time is up.
public struct StepTotals: Equatable, Sendable {
    public var count: Double
    public var lossSum: Double
    public var stop: Bool
    /// Some rank's local gradient was not finite (`sync: parameters`, where gradients stay local).
    public var bad: Bool
    /// The trainer skipped the update (a non-finite gradient or loss on any rank).
    public var skipped: Bool
    /// Some rank found `checkpoint.every_minutes` passed (`CheckpointCadence`).
    public var checkpoint: Bool

    public init(count: Double, lossSum: Double, stop: Bool, bad: Bool = false, skipped: Bool = false, checkpoint: Bool = false) {
        self.count = count; self.lossSum = lossSum; self.stop = stop; self.bad = bad; self.skipped = skipped
        self.checkpoint = checkpoint
    }

    /// Mean loss per structure over the global batch.
    public var meanLoss: Double { count > 0 ? lossSum / count : 0 }
}

/// The collectives of one training step.
///
/// `sync: gradients`: every rank holds g_r = ∇ Σ_{g∈B_r} ℓ_g (the gradient of the SUM of its
/// per-structure losses) and n_r = |B_r|. ONE exchange allreduces the Float gradient g_r together
/// with the Double buffer [n_r, L_r, s_r, c_r] (L_r the loss sum, s_r the stop flag, c_r the
/// checkpoint-time flag; Double, so sums of losses and counts do not lose digits to Float32). It
/// gives Σ_r g_r, N = Σ_r n_r, Σ_r L_r, Σ_r s_r and Σ_r c_r; the gradient becomes
/// (Σ_r g_r) / N = ∇ (1/N) Σ_{g∈B} ℓ_g, the gradient of the mean loss over the global batch
/// B = ∪_r B_r, however the structures are split between ranks. The flags are any-of (sum > 0),
/// so every rank stops (or checkpoints) after the same step.
///
/// `sync: parameters`: ranks step on their local mean gradient; `totals` allreduces only
/// [n_r, L_r, s_r, bad_r, c_r], and every `average_every` steps `averageParameters` replaces the
/// weights (and the EMA weights) by their mean over ranks (periodic model averaging).
public final class GradientSynchronizer<T: TrainingScalar> {
    public let comm: Communicator
    private var scratch: [T] = []

    public init(comm: Communicator) { self.comm = comm }

    /// Allreduces gradients with the counts; afterwards `store.grads` is the gradient of the
    /// mean loss over the global batch. A global count of 0 leaves zero gradients.
    public func synchronizeGradients(_ store: ParameterStore<T>, localCount: Int, localLossSum: Double,
                                     stop: Bool, checkpoint: Bool = false) throws -> StepTotals {
        var totals = [Double(localCount), localLossSum, stop ? 1 : 0, checkpoint ? 1 : 0]
        try store.grads.withUnsafeMutableBufferPointer { g in
            try totals.withUnsafeMutableBufferPointer { t in try T.allreduceSum(comm, g, t) }
        }
        let count = totals[0]
        store.scaleGrads(by: count > 0 ? T(1 / count) : 0)
        return StepTotals(count: count, lossSum: totals[1], stop: totals[2] > 0, checkpoint: totals[3] > 0)
    }

    /// Allreduces only the counts, loss sums and flags (parameter-averaging mode).
    public func totals(localCount: Int, localLossSum: Double, stop: Bool, bad: Bool = false,
                       checkpoint: Bool = false) throws -> StepTotals {
        var buffer = [Double(localCount), localLossSum, stop ? 1 : 0, bad ? 1 : 0, checkpoint ? 1 : 0]
        try comm.allreduceSum(&buffer)
        return StepTotals(count: buffer[0], lossSum: buffer[1], stop: buffer[2] > 0, bad: buffer[3] > 0, checkpoint: buffer[4] > 0)
    }

    /// Replaces each buffer by its mean over ranks (one allreduce for all buffers).
    public func averageParameters(_ buffers: [UnsafeMutableBufferPointer<T>]) throws {
        guard comm.size > 1 else { return }
        let total = buffers.reduce(0) { $0 + $1.count }
        if scratch.count != total { scratch = [T](repeating: 0, count: total) }
        var o = 0
        for b in buffers { for i in 0..<b.count { scratch[o + i] = b[i] }; o += b.count }
        try scratch.withUnsafeMutableBufferPointer { try T.allreduceSum(comm, $0) }
        let scale = 1 / T(comm.size)
        o = 0
        for b in buffers { for i in 0..<b.count { b[i] = scratch[o + i] * scale }; o += b.count }
    }

    /// Makes every rank's `values` equal to rank 0's (initialisation).
    public func broadcastFromRoot(_ values: inout [T]) throws {
        try values.withUnsafeMutableBufferPointer { try T.broadcast(comm, $0, root: 0) }
    }
}
