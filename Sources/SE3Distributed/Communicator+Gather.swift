/// Gathering variable-length bytes on one rank, built on the byte broadcast.
extension Communicator {
    /// Rank `root` gets every rank's `bytes` (`[r]` is rank r's); the other ranks get `[]`.
    /// One broadcast per other rank, so every rank receives every part: meant for text that is
    /// small next to the computation that produced it (e.g. `se3 predict`'s output, one batch per rank).
    public func gather(bytes: [UInt8], root: Int = 0) throws -> [[UInt8]] {
        guard (0..<size).contains(root) else { throw CommunicatorError.invalidRoot(root: root, size: size) }
        var out: [[UInt8]] = rank == root ? [[UInt8]](repeating: [], count: size) : []
        if rank == root { out[root] = bytes }
        for r in 0..<size where r != root {
            var b = rank == r ? bytes : []
            try broadcast(&b, root: r)
            if rank == root { out[r] = b }
        }
        return out
    }
}
