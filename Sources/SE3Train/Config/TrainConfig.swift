import Foundation
import Yams
import SE3Config
import SE3Models

/// A whole training configuration, decoded from `configs/*.yaml`, validated once, and passed
/// down as sub-configs (`model`, `data`, `targets`, `training`, `checkpoint`, `distributed`).
public struct TrainConfig: Codable, Equatable {
    public var model: ModelConfig
    public var data: DataConfig
    public var targets: [TargetConfig]
    public var training: OptimizationConfig
    public var checkpoint: CheckpointConfig
    public var distributed: DistributedConfig

    public init(model: ModelConfig, data: DataConfig, targets: [TargetConfig],
                training: OptimizationConfig = OptimizationConfig(),
                checkpoint: CheckpointConfig = CheckpointConfig(),
                distributed: DistributedConfig = DistributedConfig()) {
        self.model = model; self.data = data; self.targets = targets; self.training = training
        self.checkpoint = checkpoint; self.distributed = distributed
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case model, data, targets, training, checkpoint, distributed }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decode(ModelConfig.self, forKey: .model)
        data = try c.decode(DataConfig.self, forKey: .data)
        targets = try c.decode([TargetConfig].self, forKey: .targets)
        training = try c.decode(OptimizationConfig.self, forKey: .training)
        checkpoint = try c.decodeIfPresent(CheckpointConfig.self, forKey: .checkpoint) ?? CheckpointConfig()
        distributed = try c.decodeIfPresent(DistributedConfig.self, forKey: .distributed) ?? DistributedConfig()
    }

    /// Checks every value once; errors name the file and the key.
    public func validate(file: String) throws {
        try model.validate(file: file)
        try data.validate(file: file)
        guard !targets.isEmpty else { throw ConfigError(file: file, key: "targets", "must list at least one target") }
        var seen = Set<String>()
        for (i, t) in targets.enumerated() {
            guard !t.name.isEmpty else { throw ConfigError(file: file, key: "targets[\(i)].name", "must not be empty") }
            guard seen.insert(t.name).inserted else {
                throw ConfigError(file: file, key: "targets[\(i)].name", "duplicate target '\(t.name)'")
            }
            guard t.weight >= 0, t.weight.isFinite else {
                throw ConfigError(file: file, key: "targets[\(i)].weight", "must be a non-negative number")
            }
        }
        try validateForces(file: file)
        try training.validate(file: file)
        try checkpoint.validate(file: file)
        try distributed.validate(file: file)
    }

    /// Reads, applies `key.path=value` overrides, decodes and validates a YAML config.
    public static func load(path: String, overrides: [String] = []) throws -> TrainConfig {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigError(file: path, key: "", "cannot read the file")
        }
        return try parse(yaml: text, file: path, overrides: overrides)
    }

    /// Decodes a YAML text; `file` is used in error messages. Unknown keys anywhere (including
    /// those an override introduces) are errors naming the key path and the nearest known key.
    public static func parse(yaml text: String, file: String, overrides: [String] = []) throws -> TrainConfig {
        var node: Node
        do {
            guard let n = try Yams.compose(yaml: text) else { throw ConfigError(file: file, key: "", "the file is empty") }
            node = n
        } catch let e as ConfigError {
            throw e
        } catch {
            throw ConfigError(file: file, key: "", "not valid YAML: \(error)")
        }
        for o in overrides { node = try applyOverride(o, to: node, file: file) }
        let config: TrainConfig
        do {
            let yaml = try Yams.serialize(node: node)
            config = try YAMLDecoder().decode(TrainConfig.self, from: yaml)
        } catch {
            throw ConfigError(decoding: error, file: file, overrides: overrides)
        }
        try config.validate(file: file)
        return config
    }

    /// The config as YAML (stored in checkpoints and run directories).
    public func yaml() throws -> String { try YAMLEncoder().encode(self) }

    static func applyOverride(_ assignment: String, to root: Node, file: String) throws -> Node {
        guard let eq = assignment.firstIndex(of: "=") else {
            throw ConfigError(file: file, key: assignment, "an override must look like key.path=value")
        }
        let path = assignment[..<eq].split(separator: ".").map(String.init)
        let valueText = String(assignment[assignment.index(after: eq)...])
        guard !path.isEmpty else { throw ConfigError(file: file, key: assignment, "empty key in override") }
        let value: Node
        do {
            value = try Yams.compose(yaml: valueText) ?? Node("")
        } catch {
            throw ConfigError(file: file, key: path.joined(separator: "."), "cannot parse override value '\(valueText)'")
        }
        func set(_ node: Node, _ keys: ArraySlice<String>) throws -> Node {
            guard let key = keys.first else { return value }
            var mapping = node.mapping ?? Node.Mapping([])
            if node.mapping == nil, case .scalar = node, !(node.scalar?.string.isEmpty ?? true) {
                throw ConfigError(file: file, key: path.joined(separator: "."), "'\(key)' is inside a scalar value")
            }
            let child = mapping[key] ?? Node.mapping(Node.Mapping([]))
            mapping[key] = try set(child, keys.dropFirst())
            return Node.mapping(mapping)
        }
        return try set(root, path[...])
    }
}
