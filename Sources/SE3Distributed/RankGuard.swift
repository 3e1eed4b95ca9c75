import Foundation

/// Runs `body`; if it throws on any rank, that rank aborts the whole job.
///
/// The error is printed to stderr (`se3: rank R: <error>` under MPI, `se3: <error>` in a
/// single process) and the job exits with `exitCode` (non-zero) via
/// ``Communicator/abort(_:code:)``: under MPI that is `MPI_Abort`, so ranks waiting in a
/// collective for the failed rank are killed instead of hanging. Use it around everything a
/// rank does after the communicator exists:
///
/// ```swift
/// let comm = Communicators.automatic()
/// runRankGuarded(comm) { try train(config, comm) }
/// ```
///
/// The message is the error's `LocalizedError.errorDescription` if it has one, else
/// `String(describing:)` (so `CustomStringConvertible` errors print their description).
@discardableResult
public func runRankGuarded<T>(_ comm: Communicator, exitCode: Int32 = 1, _ body: () throws -> T) -> T {
    do {
        return try body()
    } catch {
        comm.abort(describeError(error), code: exitCode)
    }
}

/// The text `runRankGuarded` prints for an error.
public func describeError(_ error: Error) -> String {
    if let localized = error as? LocalizedError, let text = localized.errorDescription { return text }
    return String(describing: error)
}
