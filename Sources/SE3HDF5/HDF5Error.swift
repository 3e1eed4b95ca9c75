/// An error from the HDF5 library or from misuse of an HDF5 object, naming the file,
/// the object (dataset, group or attribute path) and HDF5's own message.
public struct HDF5Error: Error, CustomStringConvertible, Equatable, Sendable {
    /// Path of the HDF5 file on disk.
    public var file: String
    /// Path of the object inside the file, e.g. `/positions` or `/graph/U0 (attribute units)`.
    public var object: String
    /// What failed, followed by HDF5's message from its error stack when there is one.
    public var message: String

    public init(file: String, object: String, message: String) {
        self.file = file
        self.object = object
        self.message = message
    }

    public var description: String { "\(file): \(object): \(message)" }
}
