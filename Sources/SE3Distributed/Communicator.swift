/// The collective-communication interface se3's training loop is written against.
///
/// Every rank of a job holds one `Communicator`; rank `r ∈ {0, …, size−1}`.
/// Training never branches on "am I distributed": a plain run gets a
/// ``SingleProcessCommunicator`` (rank 0, size 1, every collective is the identity),
/// a run under `mpirun`/`srun` gets an ``MPICommunicator``
/// (see ``Communicators/automatic()``).
///
/// Collective semantics (all ranks must make the same sequence of collective calls,
/// in the same order, from the thread that created the communicator):
/// - `allreduceSum`: `x_i ← Σ_r x_i^(r)` elementwise; every rank must pass the same count.
/// - `allreduceMax`: `x_i ← max_r x_i^(r)` elementwise; same count on every rank.
/// - `broadcast(_:root:)` (arrays): afterwards every rank's array equals `root`'s array,
///   including its length (the count is broadcast first, so non-root ranks may pass
///   any array, e.g. `[]`).
/// - `allgather`: returns `[v^(0), v^(1), …, v^(size−1)]`; lengths may differ per rank.
/// - `allreduceSum(_:_:)` (a Float and a Double buffer): both sums in one exchange.
/// - `barrier`: returns on any rank only after every rank has entered it.
/// - `abort`: terminates the whole job with a non-zero exit code and the message on stderr;
///   it never returns and never hangs, even if other ranks are blocked in a collective.
///
/// Errors: collectives throw ``MPIError`` (an MPI call failed) or ``CommunicatorError``
/// (invalid arguments, such as a root outside `0..<size`, detected identically on every rank).
///
/// Timeout: a rank that waits longer than `collectiveTimeout` seconds in one collective (another
/// rank is hung, or died without ending the job) aborts the whole job with a message naming
/// itself and the operation (`distributed.timeout_s`).
public protocol Communicator: AnyObject {
    /// This process's rank, `0 ..< size`.
    var rank: Int { get }
    /// Number of processes in the job (≥ 1).
    var size: Int { get }
    /// Seconds one collective may wait for the other ranks before this rank aborts the job
    /// (> 0; a single process never waits).
    var collectiveTimeout: Double { get set }

    /// Elementwise sum over ranks, in place. Same `buffer.count` on every rank.
    func allreduceSum(_ buffer: inout [Float]) throws
    /// Elementwise sum over ranks, in place. Same `buffer.count` on every rank.
    func allreduceSum(_ buffer: inout [Double]) throws
    /// Elementwise maximum over ranks, in place. Same `buffer.count` on every rank.
    func allreduceMax(_ buffer: inout [Double]) throws

    /// Elementwise sum over ranks of a contiguous buffer (e.g. a whole gradient), in place.
    /// Large buffers are reduced in buckets of at most the implementation's message limit.
    func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws
    /// Elementwise sum over ranks of a contiguous buffer, in place.
    func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) throws
    /// Elementwise sums of both buffers, in place, in one exchange: e.g. a Float gradient and
    /// the Double counts and loss sums that go with it (MPI: both reductions in flight together).
    func allreduceSum(_ floats: UnsafeMutableBufferPointer<Float>, _ doubles: UnsafeMutableBufferPointer<Double>) throws

    /// Afterwards `buffer` equals `root`'s buffer (length included) on every rank.
    func broadcast(_ buffer: inout [Float], root: Int) throws
    /// Afterwards `buffer` equals `root`'s buffer (length included) on every rank.
    func broadcast(_ buffer: inout [Double], root: Int) throws
    /// Afterwards `bytes` equals `root`'s bytes (length included) on every rank.
    /// Used for strings and serialized configuration (see `broadcast(string:root:)`).
    func broadcast(_ bytes: inout [UInt8], root: Int) throws
    /// Fixed-size broadcast of a contiguous buffer: every rank must pass the same count.
    func broadcast(_ buffer: UnsafeMutableBufferPointer<Float>, root: Int) throws
    /// Fixed-size broadcast of a contiguous buffer: every rank must pass the same count.
    func broadcast(_ buffer: UnsafeMutableBufferPointer<Double>, root: Int) throws

    /// Gathers one array per rank on every rank: result `[r]` is rank `r`'s `value`.
    /// Lengths may differ between ranks.
    func allgather(_ value: [Double]) throws -> [[Double]]

    /// Blocks until every rank has entered the barrier.
    func barrier() throws

    /// Terminates the whole job: prints the message to stderr and exits with `code`
    /// on every rank (a `code` of 0 is replaced by 1: an abort is always a failure).
    func abort(_ message: String, code: Int32) -> Never
}
