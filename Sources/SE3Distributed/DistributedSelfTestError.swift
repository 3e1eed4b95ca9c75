/// Errors of ``DistributedSelfTest``.
public enum DistributedSelfTestError: Error, Equatable, CustomStringConvertible {
    /// The deliberate failure requested with `--fail-rank`.
    case injectedFailure(rank: Int)

    public var description: String {
        switch self {
        case let .injectedFailure(rank):
            return "mpi-selftest: injected failure on rank \(rank) after the first collective (--fail-rank \(rank))"
        }
    }
}
