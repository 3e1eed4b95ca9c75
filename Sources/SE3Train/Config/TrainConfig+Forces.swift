import SE3Config
import SE3Models

extension TrainConfig {
    /// The energy target of conservative forces: the one target with `extensive: true`.
    public var energyTarget: TargetConfig? {
        let e = targets.filter(\.extensive)
        return e.count == 1 ? e[0] : nil
    }

    /// `targets[i].forces: conservative` needs one such target, one extensive energy target and an
    /// architecture whose layers have forward-mode rules (`ArchitectureConfig.conservativeForcesUnsupported`).
    /// The dataset checks (`DatasetChecks.resolveTargets`) add that it is an atom-level vector.
    func validateForces(file: String) throws {
        let conservative = targets.indices.filter { targets[$0].forces == .conservative }
        guard let i = conservative.first else { return }
        let key = "targets[\(i)].forces"
        guard conservative.count == 1 else {
            throw ConfigError(file: file, key: "targets[\(conservative[1])].forces", "only one target can hold conservative forces")
        }
        let extensive = targets.filter(\.extensive).map(\.name)
        guard extensive.count == 1 else {
            throw ConfigError(file: file, key: key,
                              extensive.isEmpty
                                ? "conservative forces are −∂E/∂x of an energy target: add a graph-level scalar target with `extensive: true`"
                                : "conservative forces need exactly one energy target with `extensive: true`, found \(extensive)")
        }
        if let reason = model.architecture.conservativeForcesUnsupported {
            throw ConfigError(file: file, key: key, "model.name \(model.name.rawValue): \(reason)")
        }
    }
}
