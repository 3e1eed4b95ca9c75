/// Invalid use of a ``Communicator`` detected before any message is exchanged.
///
/// These checks depend only on arguments every rank shares (root, size), so every
/// rank throws the same error and no rank is left waiting in a collective.
public enum CommunicatorError: Error, Equatable, CustomStringConvertible {
    /// `root` is not in `0 ..< size`.
    case invalidRoot(root: Int, size: Int)
    /// A collective was called after `MPICommunicator.finalize()` (or after abort).
    case finalized(operation: String)
    /// A count exceeds what the transport can describe (e.g. MPI's 32-bit counts for displacements).
    case countTooLarge(operation: String, count: Int)
    /// The MPI library could not provide the thread support se3 needs.
    case insufficientThreadSupport(provided: Int32, required: Int32)
    /// An environment variable that selects the communicator has an unknown value.
    case invalidEnvironment(variable: String, value: String, expected: String)
    /// A count received from another rank is invalid (negative or not representable).
    case invalidCount(operation: String, count: Int64)

    public var description: String {
        switch self {
        case let .invalidRoot(root, size):
            return "invalid broadcast root \(root) for a communicator of size \(size) (expected 0..<\(size))"
        case let .finalized(operation):
            return "\(operation) called after MPI was finalized"
        case let .countTooLarge(operation, count):
            return "\(operation): count \(count) exceeds the MPI limit of \(Int32.max) elements"
        case let .insufficientThreadSupport(provided, required):
            return "MPI thread support level \(provided) is below the required level \(required) (MPI_THREAD_FUNNELED)"
        case let .invalidEnvironment(variable, value, expected):
            return "environment variable \(variable)=\"\(value)\": expected \(expected)"
        case let .invalidCount(operation, count):
            return "\(operation): received invalid element count \(count)"
        }
    }
}
