/// An error in a configuration file (any section: `model`, `data`, `training`, ...): names the
/// file and the key path. Lives with `ModelConfig` so models and the trainer throw the same type.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var key: String
    public var message: String

    public init(file: String, key: String, _ message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    public var description: String { "\(file): \(key.isEmpty ? "(root)" : key): \(message)" }
}
