import SE3Config
import SE3Tensor

/// Builds the model a `ModelConfig` names (`model.name`, through the `Architecture` registry),
/// initialised deterministically from `seed` (same config, outputs and seed ⇒ identical
/// parameters, names and layout, in Float and Double alike: initial values are drawn in Double
/// and rounded).
public enum ModelFactory {
    /// The model in precision `T`. Validates the config (errors name `file`) and the heads
    /// (`ModelError.unsupportedOutput`).
    public static func make<T: TensorScalar>(config: ModelConfig, outputs: [OutputSpec], seed: UInt64,
                                             as: T.Type, file: String = "model config") throws -> any GraphModel<T> {
        try config.validate(file: file)
        try OutputHeads.check(outputs, featureLmax: config.architecture.featureLmax)
        return try config.architecture.makeModel(common: config.common, outputs: outputs, seed: seed, as: T.self)
    }

    /// Float32 model (training).
    public static func make(config: ModelConfig, outputs: [OutputSpec], seed: UInt64) throws -> any GraphModel<Float> {
        try make(config: config, outputs: outputs, seed: seed, as: Float.self)
    }
}
