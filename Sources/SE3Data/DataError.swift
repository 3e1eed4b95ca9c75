/// Errors raised while reading, validating or importing data. Every case names
/// the file and the field (dataset, column, line) so a user can find the problem.
public struct DataError: Error, CustomStringConvertible, Equatable, Sendable {
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
