/// Invalid layer configuration (degrees, channel counts, cutoffs, ...).
///
/// The message names the layer and the offending field; code reading a config file
/// should wrap it with the file name.
public enum LayerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `field` of `layer` has an invalid value (`reason` says what is expected).
    case invalidArgument(layer: String, field: String, value: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidArgument(layer, field, value, reason):
            return "\(layer): invalid \(field) = \(value): \(reason)"
        }
    }

    @usableFromInline
    static func check(_ ok: Bool, _ layer: String, _ field: String, _ value: Any, _ reason: String) throws {
        if !ok { throw LayerError.invalidArgument(layer: layer, field: field, value: "\(value)", reason: reason) }
    }
}
