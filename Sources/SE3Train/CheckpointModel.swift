import SE3Data
import SE3Models
import SE3Tensor

/// A checkpoint opened for inference (`se3 evaluate`, `se3 predict`): its config, its normaliser
/// and the model built from them in the checkpoint's precision (`training.dtype`) with the
/// evaluation weights (EMA when present).
public struct CheckpointModel {
    /// The model in the run's precision.
    enum Model {
        case float32(any GraphModel<Float>)
        case float64(any GraphModel<Double>)
    }

    public let path: String
    public let checkpoint: Checkpoint
    public let config: TrainConfig
    public let normalizer: TargetNormalizer
    let model: Model

    /// - Throws: `CheckpointError` naming `path` for an unreadable file, a bad config or a
    ///   parameter layout that does not match the model.
    public init(path: String, makeModel: ModelMaker) throws {
        let checkpoint = try Checkpoint.read(path: path)
        let config = try checkpoint.config(file: path)
        let normalizer = checkpoint.normalizer
        self.path = path
        self.checkpoint = checkpoint
        self.config = config
        self.normalizer = normalizer
        func load<T: TrainingScalar>(_: T.Type) throws -> any GraphModel<T> {
            let m = try makeModel.make(config.model, normalizer.outputSpecs, config.training.seed, as: T.self)
            try checkpoint.checkLayout(matches: m.store, file: path)
            m.store.values = checkpoint.evaluationWeights(as: T.self)
            return m
        }
        switch checkpoint.dtype {
        case .float32: model = .float32(try load(Float.self))
        case .float64: model = .float64(try load(Double.self))
        }
    }

    /// Every target's prediction for `batch` in standardised units (conservative forces included,
    /// `ModelRunner.predict`).
    public func outputs(_ batch: GraphBatch) throws -> [String: [Double]] {
        func run<T: TrainingScalar>(_ m: any GraphModel<T>) throws -> [String: [Double]] {
            ModelRunner.values(try ModelRunner.predict(m, normalizer: normalizer, batch: batch, tape: Tape<T>(store: m.store)))
        }
        switch model {
        case .float32(let m): return try run(m)
        case .float64(let m): return try run(m)
        }
    }

    /// Adds `batch` to `metrics` (errors in physical units, the loss) and returns the physical predictions.
    @discardableResult
    public func accumulate(_ metrics: inout ValidationMetrics, loss: LossFunction, batch: GraphBatch) throws -> [String: [Double]] {
        switch model {
        case .float32(let m): return try Trainer<Float>.accumulate(&metrics, model: m, normalizer: normalizer, loss: loss, batch: batch)
        case .float64(let m): return try Trainer<Double>.accumulate(&metrics, model: m, normalizer: normalizer, loss: loss, batch: batch)
        }
    }
}
