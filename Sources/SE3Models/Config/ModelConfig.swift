import SE3Config
import SE3Tensor

/// The `model:` section of a config: `name` (an `Architecture`), the keys every architecture
/// shares (`CommonModelConfig`) and the architecture's own keys (its `ArchitectureConfig`), all
/// in one flat mapping:
///
///     model:
///       name: tfn          # Architecture
///       cutoff: 5.0        # CommonModelConfig
///       lmax: 2            # TFNConfig
///
/// A key neither part knows is an error naming it and the nearest known key.
public struct ModelConfig: Codable, Equatable, Sendable {
    public var common: CommonModelConfig
    public var architecture: any ArchitectureConfig

    public init(_ architecture: any ArchitectureConfig, common: CommonModelConfig = CommonModelConfig()) {
        self.architecture = architecture
        self.common = common
    }

    /// `model.name`.
    public var name: Architecture { type(of: architecture).architecture }

    enum NameKey: String, CodingKey { case name }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: NameKey.self)
        let name = try c.decode(Architecture.self, forKey: .name)
        let type = name.configType
        try decoder.rejectUnknownKeys(known: [NameKey.name.rawValue] + CommonModelConfig.keys + type.keys)
        common = try CommonModelConfig(from: decoder)
        architecture = try type.init(from: decoder)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: NameKey.self)
        try c.encode(name, forKey: .name)
        try common.encode(to: encoder)
        try architecture.encode(to: encoder)
    }

    public static func == (a: ModelConfig, b: ModelConfig) -> Bool {
        a.common == b.common && a.architecture.isEqual(to: b.architecture)
    }

    /// Checks every value once; errors name the file and the key.
    public func validate(file: String) throws {
        try common.validate(file: file)
        try architecture.validate(common: common, file: file)
    }

    /// The architecture's config as `C` (nil for another architecture).
    public func architecture<C: ArchitectureConfig>(as: C.Type) -> C? { architecture as? C }
}
