import SE3Tensor

/// Builds the model a `ModelConfig` names (`model.name`), initialised deterministically from
/// `seed` (same config, outputs and seed ⇒ identical parameters, names and layout, in Float
/// and Double alike: initial values are drawn in Double and rounded).
public enum ModelFactory {
    /// The model for `config.name` in precision `T`. Throws `ConfigError`/`ModelError`.
    public static func make<T: TensorScalar>(config: ModelConfig, outputs: [OutputSpec], seed: UInt64,
                                             as: T.Type) throws -> any GraphModel<T> {
        switch config.name {
        case "tfn": return try TensorFieldNetwork<T>(config: config, outputs: outputs, seed: seed)
        default:
            throw ConfigError(file: "model config", key: "model.name",
                                   "unknown model '\(config.name)'; known: \(ModelConfig.knownModels.joined(separator: ", "))")
        }
    }

    /// Float32 model (training).
    public static func make(config: ModelConfig, outputs: [OutputSpec], seed: UInt64) throws -> any GraphModel<Float> {
        try make(config: config, outputs: outputs, seed: seed, as: Float.self)
    }
}
