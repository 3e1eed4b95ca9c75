/// How a `Trainer.run` ended.
public struct TrainSummary: Sendable {
    /// Optimiser steps taken in total (including before a resume).
    public var steps: Int
    /// Completed epochs.
    public var epochs: Int
    /// True when the run stopped early on SIGTERM/SIGINT (or `stopAfterSteps`) after checkpointing.
    public var stopped: Bool
    /// The last checkpoint written (rank 0; nil elsewhere or without a run directory).
    public var checkpoint: String?
    /// Validation metrics of the last evaluation, if any.
    public var validation: ValidationMetrics?
    /// `parameterChecksum` of this rank's final parameters.
    public var checksum: String
    /// Mean training loss of the first and of the last logged step.
    public var firstLoss: Double?
    public var lastLoss: Double?
    /// The best checkpoint on the validation and test splits (`data.test`; rank 0 and the others alike).
    public var test: TestEvaluation.Result? = nil
}
