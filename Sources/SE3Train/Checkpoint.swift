import SE3Tensor

/// Everything needed to continue a run exactly, or to evaluate its model.
/// The HDF5 layout is documented in `Checkpoint+HDF5.swift`.
public struct Checkpoint: Equatable {
    public static let formatName = "se3-checkpoint"
    public static let formatVersion: Int64 = 1

    /// The full training configuration as YAML (decoded with `TrainConfig.parse`).
    public var configYAML: String
    /// Target statistics the model was trained with.
    public var normalizer: TargetNormalizer
    /// Parameter layout (names, offsets, shapes) of the model's `ParameterStore`.
    public var parameters: [Parameter]
    /// The run's precision (`training.dtype`): the arrays below are stored in it, and held here as
    /// Double (exact for both, so a `float32` run resumes bit for bit).
    public var dtype: OptimizationConfig.DType
    public var values: [Double]
    /// AdamW first / second moments and step count (same layout as `values`).
    public var adamM: [Double]
    public var adamV: [Double]
    public var adamStep: Int
    /// EMA weights (nil when EMA is off) and the number of EMA updates.
    public var emaWeights: [Double]?
    public var emaUpdates: Int
    /// Optimiser steps taken so far.
    public var step: Int
    /// Sampler position: the next step to run is `stepInEpoch` of epoch `epoch` (0-based).
    public var epoch: Int
    public var stepInEpoch: Int
    /// State of the trainer's random generator (xoshiro256**).
    public var rngState: [UInt64]
    /// Learning-rate schedule including plateau state.
    public var schedule: LearningRateSchedule
    /// Lowest validation loss so far (∞ if none).
    public var bestValidationLoss: Double
    /// Running sums of the current epoch's training loss and structure count.
    public var epochLossSum: Double
    public var epochCount: Double
    /// Number of ranks that trained; a run resumes only on as many (`checkResumable`).
    public var worldSize: Int

    /// The arrays in the run's precision `T` (its `dtype`).
    public init<T: TrainingScalar>(configYAML: String, normalizer: TargetNormalizer, parameters: [Parameter], values: [T],
                                   adamM: [T], adamV: [T], adamStep: Int, emaWeights: [T]?, emaUpdates: Int,
                                   step: Int, epoch: Int, stepInEpoch: Int, rngState: [UInt64], schedule: LearningRateSchedule,
                                   bestValidationLoss: Double, epochLossSum: Double, epochCount: Double, worldSize: Int) {
        self.init(configYAML: configYAML, normalizer: normalizer, parameters: parameters, dtype: T.dtype,
                  values: values.map(Double.init), adamM: adamM.map(Double.init), adamV: adamV.map(Double.init),
                  adamStep: adamStep, emaWeights: emaWeights?.map(Double.init), emaUpdates: emaUpdates, step: step, epoch: epoch,
                  stepInEpoch: stepInEpoch, rngState: rngState, schedule: schedule, bestValidationLoss: bestValidationLoss,
                  epochLossSum: epochLossSum, epochCount: epochCount, worldSize: worldSize)
    }

    init(configYAML: String, normalizer: TargetNormalizer, parameters: [Parameter], dtype: OptimizationConfig.DType,
         values: [Double], adamM: [Double], adamV: [Double], adamStep: Int, emaWeights: [Double]?, emaUpdates: Int,
         step: Int, epoch: Int, stepInEpoch: Int, rngState: [UInt64], schedule: LearningRateSchedule,
         bestValidationLoss: Double, epochLossSum: Double, epochCount: Double, worldSize: Int) {
        self.configYAML = configYAML; self.normalizer = normalizer; self.parameters = parameters; self.dtype = dtype
        self.values = values; self.adamM = adamM; self.adamV = adamV; self.adamStep = adamStep
        self.emaWeights = emaWeights; self.emaUpdates = emaUpdates; self.step = step; self.epoch = epoch
        self.stepInEpoch = stepInEpoch; self.rngState = rngState; self.schedule = schedule
        self.bestValidationLoss = bestValidationLoss; self.epochLossSum = epochLossSum
        self.epochCount = epochCount; self.worldSize = worldSize
    }

    /// The weights to evaluate with: EMA weights when present, else the raw parameters.
    public var evaluationWeights: [Double] { emaWeights ?? values }

    /// `evaluationWeights` in `T`.
    public func evaluationWeights<T: TensorScalar>(as: T.Type) -> [T] { evaluationWeights.map { T($0) } }

    /// Checks that a run on `ranks` ranks can continue this checkpoint. The sampler position
    /// (`epoch`, `step_in_epoch`), the data order and `step` against the epochs' length are all
    /// counted in the checkpoint's number of ranks, so another number would silently continue
    /// somewhere else (or stop at once): it is an error naming both numbers.
    /// - Throws: `CheckpointError` naming `file` and the `world_size` attribute.
    public func checkResumable(ranks: Int, file: String) throws {
        guard worldSize != ranks else { return }
        func count(_ n: Int) -> String { n == 1 ? "1 rank" : "\(n) ranks" }
        throw CheckpointError(file: file, field: "/ (attribute world_size)",
                              "written by a run on \(count(worldSize)), but this run has \(count(ranks)): the data order and the position in the epoch (step \(step), epoch \(epoch + 1), step \(stepInEpoch) of the epoch) depend on the number of ranks. Resume with \(count(worldSize)) (mpirun -np \(worldSize)), or start a new run")
    }

    /// Checks that `store` has exactly this checkpoint's parameter layout.
    /// - Throws: `CheckpointError` naming `file` and the first differing parameter.
    public func checkLayout<T: TensorScalar>(matches store: ParameterStore<T>, file: String) throws {
        let mine = Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0) })
        for p in store.parameters {
            guard let q = mine[p.name] else {
                throw CheckpointError(file: file, field: "/parameters/\(p.name)",
                                      "missing: the checkpoint does not fit this model (parameter \(p.name) of shape \(p.shape))")
            }
            guard q.shape == p.shape else {
                throw CheckpointError(file: file, field: "/parameters/\(p.name)",
                                      "shape \(q.shape) in the checkpoint, the model has \(p.shape)")
            }
        }
        if let extra = parameters.first(where: { store.parameter(named: $0.name) == nil }) {
            throw CheckpointError(file: file, field: "/parameters/\(extra.name)", "the model has no parameter \(extra.name)")
        }
        guard parameters == store.parameters else {
            throw CheckpointError(file: file, field: "/layout", "parameter order differs from the model's")
        }
    }
}
