/// An error in a configuration file (any section: `model`, `data`, `training`, ...): names the
/// file and the key path (`training.lr`, `targets[0].name`) and says what is wrong. Every config
/// type of se3 throws it, from decoding (unknown keys, wrong types, values outside a closed
/// choice) and from validation (values out of range).
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
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
