import Foundation

/// When a checkpoint is due inside an epoch (`checkpoint.every_steps`, `checkpoint.every_minutes`):
/// once `every_steps` steps or `every_minutes` minutes have passed since the last checkpoint of
/// any kind (or since the run started or resumed), whichever comes first.
///
/// Steps are the same on every rank. Clocks are not, so the time is agreed on in the step's
/// allreduce: each rank sends `timeIsUp` with its step, and the checkpoint is due after that step
/// when any rank's time was up (`StepTotals.checkpoint`).
public struct CheckpointCadence: Equatable {
    public let everySteps: Int?
    public let everySeconds: Double?
    /// Step and clock (seconds, monotonic) of the last checkpoint.
    public private(set) var lastStep: Int
    public private(set) var lastTime: Double

    public init(config: CheckpointConfig, step: Int, now: Double = CheckpointCadence.clock()) {
        everySteps = config.everySteps
        everySeconds = config.everyMinutes.map { $0 * 60 }
        lastStep = step
        lastTime = now
    }

    /// Monotonic seconds (not affected by changes of the wall clock).
    public static func clock() -> Double { ProcessInfo.processInfo.systemUptime }

    /// This rank's request for the coming step: `every_minutes` have passed.
    public func timeIsUp(now: Double = CheckpointCadence.clock()) -> Bool {
        everySeconds.map { now - lastTime >= $0 } ?? false
    }

    /// Whether a checkpoint is due after `step`, given the agreed time flag of that step.
    public func isDue(step: Int, timeIsUp agreed: Bool) -> Bool {
        agreed || (everySteps.map { step - lastStep >= $0 } ?? false)
    }

    /// A checkpoint was written at `step`: both counts start again.
    public mutating func reset(step: Int, now: Double = CheckpointCadence.clock()) {
        lastStep = step
        lastTime = now
    }
}
