/// Scalar, string and averaging conveniences built on the ``Communicator`` requirements.
extension Communicator {
    /// `rank == 0`: the rank that writes logs, checkpoints and metrics.
    public var isRoot: Bool { rank == 0 }

    /// Both sums, one after the other (a communicator that can overlap them overrides this).
    public func allreduceSum(_ floats: UnsafeMutableBufferPointer<Float>, _ doubles: UnsafeMutableBufferPointer<Double>) throws {
        try allreduceSum(floats)
        try allreduceSum(doubles)
    }

    /// `Σ_r x^(r)` on every rank.
    public func allreduceSum(_ x: Double) throws -> Double {
        var buffer = [x]
        try allreduceSum(&buffer)
        return buffer[0]
    }

    /// `Σ_r x^(r)` on every rank.
    public func allreduceSum(_ x: Float) throws -> Float {
        var buffer = [x]
        try allreduceSum(&buffer)
        return buffer[0]
    }

    /// `max_r x^(r)` on every rank.
    public func allreduceMax(_ x: Double) throws -> Double {
        var buffer = [x]
        try allreduceMax(&buffer)
        return buffer[0]
    }

    /// Elementwise mean over ranks, in place: `x_i ← (1/size) Σ_r x_i^(r)`
    /// (data-parallel gradient averaging).
    public func allreduceMean(_ buffer: inout [Float]) throws {
        try allreduceSum(&buffer)
        if size > 1 {
            let scale = 1 / Float(size)
            for i in buffer.indices { buffer[i] *= scale }
        }
    }

    /// Returns `root`'s string on every rank (UTF-8 bytes, length broadcast first;
    /// non-root ranks' `string` is ignored).
    public func broadcast(string: String, root: Int = 0) throws -> String {
        var bytes = rank == root ? Array(string.utf8) : []
        try broadcast(&bytes, root: root)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Calls `abort(_:code:)` with exit code 1.
    public func abort(_ message: String) -> Never {
        abort(message, code: 1)
    }
}
