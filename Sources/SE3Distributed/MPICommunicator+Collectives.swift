import CMPI

/// Collective operations of ``MPICommunicator`` (all on `MPI_COMM_WORLD`, in place).
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
                          op: se3_mpi_max(), name: "MPI_Allreduce(MAX, double)")
        }
    }

    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws {
        try allreduce(UnsafeMutableRawBufferPointer(buffer), count: buffer.count, type: se3_mpi_float(),
                      op: se3_mpi_sum(), name: "MPI_Allreduce(SUM, float)")
    }

    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) throws {
        try allreduce(UnsafeMutableRawBufferPointer(buffer), count: buffer.count, type: se3_mpi_double(),
                      op: se3_mpi_sum(), name: "MPI_Allreduce(SUM, double)")
    }

    /// In-place allreduce of `count` elements in buckets of `maxElementsPerCall`.
    /// A zero count is a no-op on every rank (counts must agree across ranks).
    private func allreduce(_ raw: UnsafeMutableRawBufferPointer, count: Int, type: MPI_Datatype,
                           op: MPI_Op, name: String) throws {
        try inBuckets(raw, count: count, name: name) { chunk, n in
            MPI_Allreduce(UnsafeRawPointer(se3_mpi_in_place()), chunk, n, type, op, comm)
        }
    }

    /// Calls `call(start, n)` for consecutive buckets of at most `maxElementsPerCall` of the
    /// `count` elements in `raw`, throwing the first MPI error. Nothing happens for `count == 0`.
    private func inBuckets(_ raw: UnsafeMutableRawBufferPointer, count: Int, name: String,
                           _ call: (UnsafeMutableRawPointer, Int32) -> Int32) throws {
        try ensureActive(name)
        guard count > 0, let base = raw.baseAddress else { return }
        let stride = raw.count / count
        var offset = 0
        while offset < count {
            let n = min(maxElementsPerCall, count - offset)
            try MPIError.check(call(base + offset * stride, Int32(n)), name)
            offset += n
        }
    }

    // MARK: broadcast

    public func broadcast(_ buffer: inout [Float], root: Int) throws {
        try broadcastArray(&buffer, zero: 0, type: se3_mpi_float(), root: root, name: "MPI_Bcast(float)")
    }

    public func broadcast(_ buffer: inout [Double], root: Int) throws {
        try broadcastArray(&buffer, zero: 0, type: se3_mpi_double(), root: root, name: "MPI_Bcast(double)")
    }

    public func broadcast(_ bytes: inout [UInt8], root: Int) throws {
        try broadcastArray(&bytes, zero: 0, type: se3_mpi_byte(), root: root, name: "MPI_Bcast(byte)")
    }

    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Float>, root: Int) throws {
        try checkRoot(root)
        try broadcastRaw(UnsafeMutableRawBufferPointer(buffer), count: buffer.count, type: se3_mpi_float(),
                         root: root, name: "MPI_Bcast(float)")
    }

    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Double>, root: Int) throws {
        try checkRoot(root)
        try broadcastRaw(UnsafeMutableRawBufferPointer(buffer), count: buffer.count, type: se3_mpi_double(),
                         root: root, name: "MPI_Bcast(double)")
    }

    /// Variable-length broadcast: the root's count (Int64) first, then the elements;
    /// non-root arrays are replaced by arrays of the root's length.
    private func broadcastArray<T>(_ buffer: inout [T], zero: T, type: MPI_Datatype, root: Int,
                                   name: String) throws {
        try checkRoot(root)
        try ensureActive(name)
        var count = Int64(rank == root ? buffer.count : 0)
        try MPIError.check(MPI_Bcast(&count, 1, se3_mpi_int64(), Int32(root), comm), "\(name) count")
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
        try inBuckets(raw, count: count, name: name) { chunk, n in MPI_Bcast(chunk, n, type, Int32(root), comm) }
    }

    // MARK: allgather, barrier

    public func allgather(_ value: [Double]) throws -> [[Double]] {
        let name = "MPI_Allgatherv(double)"
        try ensureActive(name)
        var mine = Int64(value.count)
        var counts = [Int64](repeating: 0, count: size)
        try counts.withUnsafeMutableBufferPointer {
            try MPIError.check(MPI_Allgather(&mine, 1, se3_mpi_int64(), $0.baseAddress, 1, se3_mpi_int64(), comm),
                               "MPI_Allgather(counts)")
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
                try MPIError.check(MPI_Allgatherv(send.baseAddress, Int32(send.count), se3_mpi_double(),
                                                  receive.baseAddress, receiveCounts, displacements,
                                                  se3_mpi_double(), comm), name)
            }
        }
        return (0 ..< size).map { r in
            let start = Int(displacements[r])
            return Array(gathered[start ..< start + Int(receiveCounts[r])])
        }
    }

    public func barrier() throws {
        try ensureActive("MPI_Barrier")
        try MPIError.check(MPI_Barrier(comm), "MPI_Barrier")
    }
}
