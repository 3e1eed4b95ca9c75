/// A checkpoint that cannot be used: names the file and the dataset/attribute.
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var field: String
    public var message: String

    public init(file: String, field: String, _ message: String) {
        self.file = file
        self.field = field
        self.message = message
    }

    public var description: String { "\(file): \(field): \(message)" }
}
