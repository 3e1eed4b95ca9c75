import SE3Models

/// A checkpoint opened for inference (`se3 evaluate`, `se3 predict`): its config, its normaliser
/// and the model built from them with the evaluation weights (EMA when present).
public struct CheckpointModel {
    public let path: String
    public let checkpoint: Checkpoint
    public let config: TrainConfig
    public let normalizer: TargetNormalizer
    public let model: any GraphModel<Float>

    /// - Throws: `CheckpointError` naming `path` for an unreadable file, a bad config or a
    ///   parameter layout that does not match the model.
    public init(path: String, makeModel: ModelMaker) throws {
        self.path = path
        checkpoint = try Checkpoint.read(path: path)
        config = try checkpoint.config(file: path)
        normalizer = checkpoint.normalizer
        model = try makeModel(config.model, normalizer.outputSpecs, config.training.seed)
        try checkpoint.checkLayout(matches: model.store, file: path)
        model.store.values = checkpoint.evaluationWeights
    }
}
