/// An invalid model hyper-parameter: names the config file and the key (e.g. `model.lmax`).
public struct ModelConfigError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var key: String
    public var message: String

    public init(file: String, key: String, _ message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    public var description: String { "\(file): \(key): \(message)" }
}
