import CMPI

/// Collective operations of ``MPICommunicator`` (all on `MPI_COMM_WORLD`, in place), each
/// started non-blocking and completed against the timeout (`MPICommunicator+Waiting.swift`).
extension MPICommunicator {
    // MARK: allreduce

    public func allreduceSum(_ buffer: inout [Float]) throws {
        try buffer.withUnsafeMutableBufferPointer { try allreduceSum($0) }
    }

    public func allreduceSum(_ buffer: inout [Double]) throws {
        try buffer.withUnsafeMutableBufferPointer { try allreduceSum($0) }
    }

    public func allreduceMax(_ buffer: inout [Double]) throws {
        try buffer.withUnsafeMutableBufferPointer {
            try allreduce(UnsafeMutableRawBufferPointer($0), count: $0.count, type: se3_mpi_double(),
                          op: se3_mpi_max(), name: "MPI_Iallreduce(MAX, double)")
        }
    }

    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws {
        try allreduce(UnsafeMutableRawBufferPointer(buffer), count: buffer.count, type: se3_mpi_float(),
                      op: se3_mpi_sum(), name: "MPI_Iallreduce(SUM, float)")
    }

    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) throws {
        try allreduce(UnsafeMutableRawBufferPointer(buffer), count: buffer.count, type: se3_mpi_double(),
                      op: se3_mpi_sum(), name: "MPI_Iallreduce(SUM, double)")
    }

    /// Both sums with all their buckets in flight together, then one wait.
    public func allreduceSum(_ floats: UnsafeMutableBufferPointer<Float>, _ doubles: UnsafeMutableBufferPointer<Double>) throws {
        let name = "MPI_Iallreduce(SUM, float + double)"
        var requests = try startBuckets(UnsafeMutableRawBufferPointer(floats), count: floats.count, name: name) { chunk, n, request in
            MPI_Iallreduce(UnsafeRawPointer(se3_mpi_in_place()), chunk, n, se3_mpi_float(), se3_mpi_sum(), comm, request)
        }
        do {
            requests += try startBuckets(UnsafeMutableRawBufferPointer(doubles), count: doubles.count, name: name) { chunk, n, request in
                MPI_Iallreduce(UnsafeRawPointer(se3_mpi_in_place()), chunk, n, se3_mpi_double(), se3_mpi_sum(), comm, request)
            }
        } catch {
            try? wait(&requests, operation: name)
            throw error
        }
        try wait(&requests, operation: name)
    }

    /// In-place allreduce of `count` elements in buckets of `maxElementsPerCall`.
    /// A zero count is a no-op on every rank (counts must agree across ranks).
    private func allreduce(_ raw: UnsafeMutableRawBufferPointer, count: Int, type: MPI_Datatype,
                           op: MPI_Op, name: String) throws {
        try collective(raw, count: count, name: name) { chunk, n, request in
            MPI_Iallreduce(UnsafeRawPointer(se3_mpi_in_place()), chunk, n, type, op, comm, request)
        }
    }

    // MARK: broadcast

    public func broadcast(_ buffer: inout [Float], root: Int) throws {
        try broadcastArray(&buffer, zero: 0, type: se3_mpi_float(), root: root, name: "MPI_Ibcast(float)")
    }

    public func broadcast(_ buffer: inout [Double], root: Int) throws {
        try broadcastArray(&buffer, zero: 0, type: se3_mpi_double(), root: root, name: "MPI_Ibcast(double)")
    }

    public func broadcast(_ bytes: inout [UInt8], root: Int) throws {
        try broadcastArray(&bytes, zero: 0, type: se3_mpi_byte(), root: root, name: "MPI_Ibcast(byte)")
    }

    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Float>, root: Int) throws {
        try checkRoot(root)
        try broadcastRaw(UnsafeMutableRawBufferPointer(buffer), count: buffer.count, type: se3_mpi_float(),
                         root: root, name: "MPI_Ibcast(float)")
    }

    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Double>, root: Int) throws {
        try checkRoot(root)
        try broadcastRaw(UnsafeMutableRawBufferPointer(buffer), count: buffer.count, type: se3_mpi_double(),
                         root: root, name: "MPI_Ibcast(double)")
    }

    /// Variable-length broadcast: the root's count (Int64) first, then the elements;
    /// non-root arrays are replaced by arrays of the root's length.
    private func broadcastArray<T>(_ buffer: inout [T], zero: T, type: MPI_Datatype, root: Int,
                                   name: String) throws {
        try checkRoot(root)
        try ensureActive(name)
        var count = Int64(rank == root ? buffer.count : 0)
        // Non-blocking: every buffer must stay valid until the wait returns, hence the explicit pointers.
        try withUnsafeMutablePointer(to: &count) { c in
            try single("\(name) count") { MPI_Ibcast(c, 1, se3_mpi_int64(), Int32(root), comm, $0) }
        }
        guard count >= 0, count <= Int64(Int.max / max(MemoryLayout<T>.stride, 1)) else {
            throw CommunicatorError.invalidCount(operation: name, count: count)
        }
        if rank != root {
            buffer = [T](repeating: zero, count: Int(count))
        }
        try buffer.withUnsafeMutableBufferPointer {
            try broadcastRaw(UnsafeMutableRawBufferPointer($0), count: $0.count, type: type, root: root, name: name)
        }
    }

    private func broadcastRaw(_ raw: UnsafeMutableRawBufferPointer, count: Int, type: MPI_Datatype, root: Int,
                              name: String) throws {
        try collective(raw, count: count, name: name) { chunk, n, request in MPI_Ibcast(chunk, n, type, Int32(root), comm, request) }
    }

    // MARK: allgather, barrier

    public func allgather(_ value: [Double]) throws -> [[Double]] {
        let name = "MPI_Iallgatherv(double)"
        try ensureActive(name)
        var mine = Int64(value.count)
        var counts = [Int64](repeating: 0, count: size)
        try withUnsafeMutablePointer(to: &mine) { m in
            try counts.withUnsafeMutableBufferPointer { all in
                try single("MPI_Iallgather(counts)") { MPI_Iallgather(m, 1, se3_mpi_int64(), all.baseAddress, 1, se3_mpi_int64(), comm, $0) }
            }
        }
        // Every rank sees the same counts, so every rank takes the same branch below.
        var total: Int64 = 0
        for c in counts {
            guard c >= 0 else { throw CommunicatorError.invalidCount(operation: name, count: c) }
            total += c
        }
        guard total <= Int64(Int32.max) else { throw CommunicatorError.countTooLarge(operation: name, count: Int(total)) }
        if total == 0 { return counts.map { _ in [] } }
        let receiveCounts = counts.map { Int32($0) }
        var displacements = [Int32](repeating: 0, count: size)
        for r in 1 ..< max(size, 1) { displacements[r] = displacements[r - 1] + receiveCounts[r - 1] }
        var gathered = [Double](repeating: 0, count: Int(total))
        try value.withUnsafeBufferPointer { send in
            try gathered.withUnsafeMutableBufferPointer { receive in
                try receiveCounts.withUnsafeBufferPointer { counts in
                    try displacements.withUnsafeBufferPointer { offsets in
                        try single(name) {
                            MPI_Iallgatherv(send.baseAddress, Int32(send.count), se3_mpi_double(), receive.baseAddress,
                                            counts.baseAddress, offsets.baseAddress, se3_mpi_double(), comm, $0)
                        }
                    }
                }
            }
        }
        return (0 ..< size).map { r in
            let start = Int(displacements[r])
            return Array(gathered[start ..< start + Int(receiveCounts[r])])
        }
    }

    public func barrier() throws {
        try single("MPI_Ibarrier") { MPI_Ibarrier(comm, $0) }
    }
}
