#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The communicator of a plain (non-MPI) run: rank 0 of a job of size 1.
///
/// Every collective is the identity (a sum or max over one rank is the value itself,
/// a broadcast from rank 0 leaves the buffer unchanged, `allgather(v) == [v]`), so
/// training code runs unchanged with or without `mpirun`. Argument checks match
/// ``MPICommunicator`` (a root other than 0 throws ``CommunicatorError/invalidRoot(root:size:)``).
/// `abort` prints `se3: <message>` to stderr and exits the process with the code.
public final class SingleProcessCommunicator: Communicator {
    public let rank = 0
    public let size = 1
    /// Kept for the protocol; a single process never waits for another rank.
    public var collectiveTimeout = MPICommunicator.defaultTimeout

    public init() {}

    public func allreduceSum(_ buffer: inout [Float]) throws {}
    public func allreduceSum(_ buffer: inout [Double]) throws {}
    public func allreduceMax(_ buffer: inout [Double]) throws {}
    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws {}
    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) throws {}

    public func broadcast(_ buffer: inout [Float], root: Int) throws { try checkRoot(root) }
    public func broadcast(_ buffer: inout [Double], root: Int) throws { try checkRoot(root) }
    public func broadcast(_ bytes: inout [UInt8], root: Int) throws { try checkRoot(root) }
    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Float>, root: Int) throws { try checkRoot(root) }
    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Double>, root: Int) throws { try checkRoot(root) }

    public func allgather(_ value: [Double]) throws -> [[Double]] { [value] }

    public func barrier() throws {}

    public func abort(_ message: String, code: Int32) -> Never {
        StandardError.emit("se3: \(message)\n")
        fflush(stdout)
        exit(code == 0 ? 1 : code)
    }

    private func checkRoot(_ root: Int) throws {
        guard root == 0 else { throw CommunicatorError.invalidRoot(root: root, size: 1) }
    }
}
