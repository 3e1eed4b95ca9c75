import CMPI
import Foundation

/// Process-wide MPI lifecycle: `MPI_Init_thread` at most once, `MPI_Finalize` at most
/// once, never after an abort.
///
/// - `initialize()` calls `MPI_Init_thread(FUNNELED)` (unless MPI was already initialized
///   by someone else) and registers an `atexit` hook that finalizes, so a normal `exit`
///   (including ArgumentParser's) shuts MPI down cleanly.
/// - `finalize()` is idempotent; the hook calls it too.
/// - `markAborted()` is set by `MPICommunicator.abort` before `MPI_Abort`, after which
///   finalization is skipped (finalizing after `MPI_Abort` is erroneous).
final class MPIRuntime: @unchecked Sendable {
    static let shared = MPIRuntime()

    private let lock = NSLock()
    private(set) var initialized = false
    private(set) var finalized = false
    private(set) var aborted = false
    private var hookRegistered = false
    private(set) var threadLevel: Int32 = 0

    /// Initializes MPI (once) and returns the provided thread level.
    func initialize() throws -> Int32 {
        lock.lock(); defer { lock.unlock() }
        if initialized {
            if finalized { throw CommunicatorError.finalized(operation: "MPI_Init_thread") }
            return threadLevel
        }
        var alreadyFinalized: Int32 = 0
        _ = MPI_Finalized(&alreadyFinalized)
        if alreadyFinalized != 0 { throw CommunicatorError.finalized(operation: "MPI_Init_thread") }
        var alreadyInitialized: Int32 = 0
        _ = MPI_Initialized(&alreadyInitialized)
        var provided: Int32 = 0
        if alreadyInitialized != 0 {
            try MPIError.check(MPI_Query_thread(&provided), "MPI_Query_thread")
        } else {
            try MPIError.check(MPI_Init_thread(nil, nil, se3_mpi_thread_funneled(), &provided), "MPI_Init_thread")
        }
        initialized = true
        threadLevel = provided
        if !hookRegistered {
            hookRegistered = true
            atexit { MPIRuntime.shared.finalizeAtExit() }
        }
        try MPIError.check(MPI_Comm_set_errhandler(se3_mpi_comm_world(), se3_mpi_errors_return()),
                           "MPI_Comm_set_errhandler")
        return provided
    }

    /// `MPI_Finalize` if MPI is initialized, not yet finalized and not aborted; else a no-op.
    func finalize() throws {
        lock.lock(); defer { lock.unlock() }
        guard initialized, !finalized, !aborted else { return }
        finalized = true
        var already: Int32 = 0
        _ = MPI_Finalized(&already)
        if already != 0 { return }
        try MPIError.check(MPI_Finalize(), "MPI_Finalize")
    }

    /// Records that the job is being aborted; returns whether `MPI_Abort` may still be called.
    func markAborted() -> Bool {
        lock.lock(); defer { lock.unlock() }
        aborted = true
        return initialized && !finalized
    }

    /// Whether collectives may still be called.
    var isActive: Bool {
        lock.lock(); defer { lock.unlock() }
        return initialized && !finalized && !aborted
    }

    private func finalizeAtExit() {
        do { try finalize() } catch { StandardError.emit("se3: MPI_Finalize at exit: \(error)\n") }
    }
}
