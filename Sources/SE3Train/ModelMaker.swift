import SE3Models

/// Builds a model for a config, its output heads and a seed (e.g. `ModelFactory.make`). The
/// trainer, evaluation and benchmark only see `GraphModel`, never a concrete architecture.
public typealias ModelMaker = (ModelConfig, [OutputSpec], UInt64) throws -> any GraphModel<Float>

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
