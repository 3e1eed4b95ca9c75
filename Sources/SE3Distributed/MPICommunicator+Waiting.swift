import CMPI
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Completing non-blocking collectives against a deadline.
///
/// A blocking `MPI_Allreduce` waits forever for a rank that never arrives (stuck in I/O, in a
/// loop, or stopped without ending the job). Every collective here is started non-blocking and
/// polled with `MPI_Testall`: during the first ``spinSeconds`` without pause (as a blocking call
/// would, so transfers run at full speed), then every ``pollInterval`` seconds, so a rank that
/// waits long does not keep a core busy. Polling is also what advances a non-blocking collective
/// in OpenMPI, and it stays on the thread that initialised MPI (`MPI_THREAD_FUNNELED`).
/// After ``Communicator/collectiveTimeout`` seconds the rank calls ``abort(_:code:)``: stderr gets
/// `se3: rank R: timed out after T s in <operation> …` and `MPI_Abort` ends every rank.
extension MPICommunicator {
    /// Seconds of uninterrupted polling before a waiting rank starts to sleep between polls.
    static let spinSeconds = 0.02
    /// Seconds between polls after that.
    static let pollInterval = 0.0002

    /// Starts one request per bucket of the `count` elements in `raw` (each at most
    /// `maxElementsPerCall`), then waits for all of them. Nothing happens for `count == 0`.
    func collective(_ raw: UnsafeMutableRawBufferPointer, count: Int, name: String,
                    _ start: (UnsafeMutableRawPointer, Int32, UnsafeMutablePointer<MPI_Request?>) -> Int32) throws {
        var requests = try startBuckets(raw, count: count, name: name, start)
        try wait(&requests, operation: name)
    }

    /// Starts the bucketed requests (see `collective`) without waiting for them.
    func startBuckets(_ raw: UnsafeMutableRawBufferPointer, count: Int, name: String,
                      _ start: (UnsafeMutableRawPointer, Int32, UnsafeMutablePointer<MPI_Request?>) -> Int32) throws -> [MPI_Request?] {
        try ensureActive(name)
        guard count > 0, let base = raw.baseAddress else { return [] }
        let stride = raw.count / count
        var requests: [MPI_Request?] = []
        var offset = 0
        while offset < count {
            let n = min(maxElementsPerCall, count - offset)
            var request: MPI_Request? = se3_mpi_request_null()
            let code = start(base + offset * stride, Int32(n), &request)
            if code != se3_mpi_success() {
                // Requests already started must still complete before their buffers go away.
                if !requests.isEmpty { try? wait(&requests, operation: name) }
                throw MPIError(operation: name, code: code)
            }
            requests.append(request)
            offset += n
        }
        return requests
    }

    /// One non-blocking call that is not split into buckets (a count, a barrier).
    func single(_ name: String, _ start: (UnsafeMutablePointer<MPI_Request?>) -> Int32) throws {
        try ensureActive(name)
        var request: MPI_Request? = se3_mpi_request_null()
        try MPIError.check(start(&request), name)
        var requests = [request]
        try wait(&requests, operation: name)
    }

    /// Polls `requests` until all are complete; past `collectiveTimeout` the job is aborted.
    func wait(_ requests: inout [MPI_Request?], operation: String) throws {
        guard !requests.isEmpty else { return }
        let timeout = collectiveTimeout
        let begin = DispatchTime.now().uptimeNanoseconds
        let spin = UInt64(Self.spinSeconds * 1e9), limit = UInt64(timeout * 1e9)
        let pause = useconds_t(Self.pollInterval * 1e6)
        var done: Int32 = 0
        while true {
            try MPIError.check(MPI_Testall(Int32(requests.count), &requests, &done, se3_mpi_statuses_ignore()), operation)
            if done != 0 { return }
            let waited = DispatchTime.now().uptimeNanoseconds &- begin
            if waited >= limit {
                abort("timed out after \(Self.seconds(timeout)) s in \(operation): the other ranks did not all join it within distributed.timeout_s (\(Self.seconds(timeout)) s); a rank is hung (stuck in I/O or a loop) or died. Aborting the job.",
                      code: 1)
            }
            if waited > spin { usleep(pause) }
        }
    }

    private static func seconds(_ t: Double) -> String {
        t == t.rounded() ? String(Int(t)) : String(t)
    }
}
