/// An end-to-end check of a ``Communicator``: every collective with rank-dependent data
/// whose result has a closed form, run by `se3 mpi-selftest` on every rank.
///
/// With rank `r`, size `s`, element index `i ∈ 0..<n` (`n = count`):
/// - Float sum:  `a_i = (r+1)(i mod 13 + 1)`        → `s(s+1)/2 · (i mod 13 + 1)`
/// - Double sum (buffer-pointer path): `d_i = r/4 + i` → `s(s−1)/8 + s·i`
/// - Double max: `m_i = 1000 + i` if `i mod s = r`, else `−(r+1)` → `1000 + i`
/// - Float broadcast from root `s−1` (root's length `n+1`, others pass length `r`):
///   `b_i = i/2 + 3`; Double broadcast from root 0: `c_i = 1.5 i − 7`;
///   fixed-size Float pointer broadcast from root 0: `f_i = 2i + 1`.
/// - String broadcast from root 0: `"se3 mpi-selftest size=s ✓"`.
/// - allgather: rank `q` contributes `[100q + k for k in 0...q]` (length `q+1`).
/// - a broadcast from root `s` throws ``CommunicatorError/invalidRoot(root:size:)`` on every rank.
/// - scalars: `Σ (r+1) = s(s+1)/2`, `max r = s−1`, mean of `[r]` = `(s−1)/2`; barrier.
///
/// The report carries checksums (`Σ_i` of each reduced buffer) so a launcher can compare
/// ranks with each other and with the closed forms. `failRank`: that rank throws
/// ``DistributedSelfTestError/injectedFailure(rank:)`` right after the first collective
/// (to exercise ``runRankGuarded(_:exitCode:_:)``: the job must abort, not hang).
public struct DistributedSelfTest {
    public let comm: Communicator
    public let count: Int
    public let failRank: Int?

    public init(comm: Communicator, count: Int, failRank: Int? = nil) {
        self.comm = comm
        self.count = count
        self.failRank = failRank
    }

    /// Runs every collective (the same sequence on every rank) and checks the results.
    /// `ok` in the report is true only if every check passed on every rank.
    public func run() throws -> DistributedSelfTestReport {
        let r = comm.rank, s = comm.size, n = count
        var failures: [String] = []
        var checks = 0
        func check(_ name: String, _ condition: Bool) {
            checks += 1
            if !condition { failures.append(name) }
        }

        // 1. Float allreduce sum (array API) — the first collective.
        var a = (0 ..< n).map { Float((r + 1) * ($0 % 13 + 1)) }
        try comm.allreduceSum(&a)
        if let failRank, failRank == r { throw DistributedSelfTestError.injectedFailure(rank: r) }
        let triangle = s * (s + 1) / 2
        check("allreduceSum(Float)", a.count == n && a.indices.allSatisfy { a[$0] == Float(triangle * ($0 % 13 + 1)) })

        // 2. Double allreduce sum through the buffer-pointer API.
        var d = (0 ..< n).map { Double(r) / 4 + Double($0) }
        try d.withUnsafeMutableBufferPointer { try comm.allreduceSum($0) }
        let dOffset = Double(s * (s - 1)) / 8
        check("allreduceSum(Double, pointer)", d.indices.allSatisfy { d[$0] == dOffset + Double(s * $0) })

        // 3. Double allreduce max.
        var m = (0 ..< n).map { $0 % s == r ? Double(1000 + $0) : -Double(r + 1) }
        try comm.allreduceMax(&m)
        check("allreduceMax(Double)", m.indices.allSatisfy { m[$0] == Double(1000 + $0) })

        // 4. Variable-length Float broadcast from the last rank.
        let floatRoot = s - 1
        var b: [Float] = r == floatRoot ? (0 ..< n + 1).map { Float($0) / 2 + 3 } : [Float](repeating: -1, count: r)
        try comm.broadcast(&b, root: floatRoot)
        check("broadcast(Float, root: s-1)", b.count == n + 1 && b.indices.allSatisfy { b[$0] == Float($0) / 2 + 3 })

        // 5. Double broadcast from root 0.
        var c: [Double] = r == 0 ? (0 ..< n).map { 1.5 * Double($0) - 7 } : []
        try comm.broadcast(&c, root: 0)
        check("broadcast(Double, root: 0)", c.count == n && c.indices.allSatisfy { c[$0] == 1.5 * Double($0) - 7 })

        // 6. Fixed-size Float pointer broadcast from root 0.
        var f: [Float] = (0 ..< n).map { r == 0 ? Float(2 * $0 + 1) : Float(-r) }
        try f.withUnsafeMutableBufferPointer { try comm.broadcast($0, root: 0) }
        check("broadcast(Float, pointer)", f.indices.allSatisfy { f[$0] == Float(2 * $0 + 1) })

        // 7. String broadcast.
        let expectedText = "se3 mpi-selftest size=\(s) ✓"
        let text = try comm.broadcast(string: r == 0 ? expectedText : "not the root's text", root: 0)
        check("broadcast(string:)", text == expectedText)

        // 8. Variable-length allgather.
        let gathered = try comm.allgather((0 ... r).map { Double(100 * r + $0) })
        check("allgather", gathered.count == s && gathered.indices.allSatisfy { q in
            gathered[q] == (0 ... q).map { Double(100 * q + $0) }
        })

        // 9. An invalid root is rejected identically on every rank, before any message.
        var probe: [Double] = [1]
        do {
            try comm.broadcast(&probe, root: s)
            check("broadcast(invalid root) throws", false)
        } catch let error as CommunicatorError {
            check("broadcast(invalid root) throws", error == .invalidRoot(root: s, size: s))
        }

        // 10. Scalars, mean, barrier.
        check("allreduceSum(scalar)", try comm.allreduceSum(Double(r + 1)) == Double(triangle))
        check("allreduceMax(scalar)", try comm.allreduceMax(Double(r)) == Double(s - 1))
        var mean: [Float] = [Float(r)]
        try comm.allreduceMean(&mean)
        check("allreduceMean(Float)", mean == [Float(s - 1) / 2])
        try comm.barrier()

        // Every rank learns whether any rank failed a check.
        let anyFailure = try comm.allreduceMax(failures.isEmpty ? 0 : 1)
        return DistributedSelfTestReport(
            rank: r, size: s, ok: failures.isEmpty && anyFailure == 0, checks: checks, count: n,
            floatSum: a.reduce(0) { $0 + Double($1) }, doubleSum: d.reduce(0, +), doubleMax: m.reduce(0, +),
            gathered: gathered.reduce(0) { $0 + $1.count }, broadcast: text, failures: failures)
    }
}
