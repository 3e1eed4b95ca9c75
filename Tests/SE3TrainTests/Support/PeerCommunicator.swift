import SE3Distributed

/// Rank 0 of a simulated two-rank job: every sum-allreduce adds the buffer the (simulated)
/// rank 1 would contribute, recorded beforehand in `peerFloats` / `peerDoubles`.
final class PeerCommunicator: Communicator {
    let rank = 0
    let size = 2
    var collectiveTimeout = 60.0
    var peerFloats: [Float] = []
    var peerDoubles: [Double] = []
    var floatCalls = 0
    var doubleCalls = 0
    /// Calls of the two-buffer sum (one exchange; it also counts one float and one double call).
    var pairCalls = 0

    struct Unsupported: Error {}

    func allreduceSum(_ buffer: inout [Float]) throws {
        try buffer.withUnsafeMutableBufferPointer { try allreduceSum($0) }
    }
    func allreduceSum(_ buffer: inout [Double]) throws {
        try buffer.withUnsafeMutableBufferPointer { try allreduceSum($0) }
    }
    func allreduceMax(_ buffer: inout [Double]) throws {
        precondition(buffer.count == peerDoubles.count)
        for i in buffer.indices { buffer[i] = max(buffer[i], peerDoubles[i]) }
    }
    func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws {
        precondition(buffer.count == peerFloats.count, "peer buffer \(peerFloats.count) for \(buffer.count)")
        floatCalls += 1
        for i in buffer.indices { buffer[i] += peerFloats[i] }
    }
    func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) throws {
        precondition(buffer.count == peerDoubles.count, "peer buffer \(peerDoubles.count) for \(buffer.count)")
        doubleCalls += 1
        for i in buffer.indices { buffer[i] += peerDoubles[i] }
    }
    func allreduceSum(_ floats: UnsafeMutableBufferPointer<Float>, _ doubles: UnsafeMutableBufferPointer<Double>) throws {
        pairCalls += 1
        try allreduceSum(floats)
        try allreduceSum(doubles)
    }
    func broadcast(_ buffer: inout [Float], root: Int) throws {}
    func broadcast(_ buffer: inout [Double], root: Int) throws {}
    func broadcast(_ bytes: inout [UInt8], root: Int) throws {}
    func broadcast(_ buffer: UnsafeMutableBufferPointer<Float>, root: Int) throws {}
    func broadcast(_ buffer: UnsafeMutableBufferPointer<Double>, root: Int) throws {}
    func allgather(_ value: [Double]) throws -> [[Double]] { throw Unsupported() }
    func barrier() throws {}
    func abort(_ message: String, code: Int32) -> Never { fatalError(message) }
}
