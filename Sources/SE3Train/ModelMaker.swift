import SE3Models

import SE3Tensor

/// Builds a model for a config, its output heads and a seed, in either training precision
/// (`registry`: `ModelFactory.make`, every architecture). The trainer, evaluation and benchmark
/// only see `GraphModel`, never a concrete architecture.
public struct ModelMaker {
    public typealias Make<T: TensorScalar> = (ModelConfig, [OutputSpec], UInt64) throws -> any GraphModel<T>
    let float32: Make<Float>
    let float64: Make<Double>

    public init(float32: @escaping Make<Float>, float64: @escaping Make<Double>) {
        self.float32 = float32
        self.float64 = float64
    }

    /// Every architecture of the `Architecture` registry, by `model.name`.
    public static let registry = ModelMaker(
        float32: { try ModelFactory.make(config: $0, outputs: $1, seed: $2, as: Float.self) },
        float64: { try ModelFactory.make(config: $0, outputs: $1, seed: $2, as: Double.self) })

    /// The model in precision `T` (Float or Double).
    public func make<T: TrainingScalar>(_ config: ModelConfig, _ outputs: [OutputSpec], _ seed: UInt64,
                                        as: T.Type) throws -> any GraphModel<T> {
        switch T.dtype {
        case .float32: return try float32(config, outputs, seed) as! any GraphModel<T>
        case .float64: return try float64(config, outputs, seed) as! any GraphModel<T>
        }
    }
}

extension TargetNormalizer {
    /// One model head per target, mirroring the dataset's level and kind (conservative force
    /// targets have none: they are derivatives of the energy head).
    public var outputSpecs: [OutputSpec] {
        targets.filter { !$0.conservative }.map { t in
            OutputSpec(name: t.name, level: t.level == .graph ? .graph : .atom,
                       kind: t.kind == .scalar ? .scalar : (t.kind == .vector ? .vector : .rank2),
                       extensive: t.extensive)
        }
    }
}
