import CMPI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A ``Communicator`` over OpenMPI's `MPI_COMM_WORLD`.
///
/// - Initialization: ``world()`` calls `MPI_Init_thread(MPI_THREAD_FUNNELED)` on first use
///   (only the thread that initialized MPI may call collectives) and installs
///   `MPI_ERRORS_RETURN` on `MPI_COMM_WORLD`, so every failing call throws an ``MPIError``
///   carrying `MPI_Error_string`'s text instead of killing the process silently.
/// - Finalization: ``finalize()`` calls `MPI_Finalize` exactly once; an `atexit` hook
///   registered at initialization calls it if the program did not, and it is skipped after
///   ``abort(_:code:)``. Collectives after finalization throw ``CommunicatorError/finalized(operation:)``.
/// - Abort: prints `se3: rank R: <message>` to stderr and calls
///   `MPI_Abort(MPI_COMM_WORLD, code)`, which makes `mpirun` kill every rank and exit
///   non-zero — other ranks blocked in a collective do not hang the job.
/// - Large buffers: MPI counts are 32-bit, so buffers are transferred in buckets of at most
///   ``maxElementsPerCall`` elements (one call for anything below 2³¹−1 by default).
///   Every rank must use the same value.
/// - Timeout: every collective is non-blocking (`MPI_Iallreduce`, `MPI_Ibcast`, …) and polled
///   with `MPI_Testall` until ``collectiveTimeout`` seconds have passed; then this rank aborts
///   the job naming itself and the operation (`MPICommunicator+Waiting.swift`).
public final class MPICommunicator: Communicator {
    /// `distributed.timeout_s` when no config sets it: 30 minutes.
    public static let defaultTimeout = 1800.0

    public let rank: Int
    public let size: Int
    /// The thread support level MPI provided (`MPI_THREAD_FUNNELED` = 1 or higher).
    public let threadLevel: Int32
    /// Seconds one collective may wait for the other ranks (clamped to 1 ms … 10⁷ s).
    public var collectiveTimeout: Double = MPICommunicator.defaultTimeout {
        didSet { collectiveTimeout = min(max(collectiveTimeout.isNaN ? Self.defaultTimeout : collectiveTimeout, 1e-3), 1e7) }
    }

    /// Largest element count per MPI call; bigger buffers are reduced/broadcast in buckets.
    /// Clamped to `1 ... Int32.max`. Must be equal on every rank.
    public var maxElementsPerCall: Int = Int(Int32.max) {
        didSet { maxElementsPerCall = min(max(maxElementsPerCall, 1), Int(Int32.max)) }
    }

    let comm: MPI_Comm

    nonisolated(unsafe) private static var cached: MPICommunicator?

    private init(rank: Int, size: Int, threadLevel: Int32) {
        self.rank = rank
        self.size = size
        self.threadLevel = threadLevel
        self.comm = se3_mpi_comm_world()
    }

    /// The communicator over `MPI_COMM_WORLD`, initializing MPI on the first call
    /// (later calls return the same instance). Call from the main thread.
    public static func world() throws -> MPICommunicator {
        if let existing = cached {
            guard MPIRuntime.shared.isActive else { throw CommunicatorError.finalized(operation: "MPICommunicator.world") }
            return existing
        }
        let provided = try MPIRuntime.shared.initialize()
        guard provided >= se3_mpi_thread_funneled() else {
            throw CommunicatorError.insufficientThreadSupport(provided: provided, required: se3_mpi_thread_funneled())
        }
        let world = se3_mpi_comm_world()
        var rank: Int32 = 0
        var size: Int32 = 0
        try MPIError.check(MPI_Comm_rank(world, &rank), "MPI_Comm_rank")
        try MPIError.check(MPI_Comm_size(world, &size), "MPI_Comm_size")
        let communicator = MPICommunicator(rank: Int(rank), size: Int(size), threadLevel: provided)
        cached = communicator
        return communicator
    }

    /// `MPI_Finalize`, exactly once per process (later calls, and the `atexit` hook, are no-ops).
    public func finalize() throws {
        try MPIRuntime.shared.finalize()
    }

    /// Whether MPI has been finalized (or the job aborted) in this process.
    public static var isFinalized: Bool {
        !MPIRuntime.shared.isActive && MPIRuntime.shared.initialized
    }

    public func abort(_ message: String, code: Int32) -> Never {
        let exitCode = code == 0 ? 1 : code
        let mayAbort = MPIRuntime.shared.markAborted()
        StandardError.emit("se3: rank \(rank): \(message)\n")
        fflush(stdout)
        if mayAbort { _ = MPI_Abort(comm, exitCode) }
        _exit(exitCode)
    }

    func ensureActive(_ operation: String) throws {
        guard MPIRuntime.shared.isActive else { throw CommunicatorError.finalized(operation: operation) }
    }

    func checkRoot(_ root: Int) throws {
        guard root >= 0, root < size else { throw CommunicatorError.invalidRoot(root: root, size: size) }
    }
}
