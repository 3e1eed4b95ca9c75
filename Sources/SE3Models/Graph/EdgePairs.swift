/// The directed edges of an `AtomGraph` grouped into atom pairs: the edge `a → b` with shift `n`
/// and the edge `b → a` with shift `−n` have opposite vectors (`v_{ba} = −v_{ab}`) and the same
/// length, so anything that depends on the length only (TFN's radial network, about 90% of its
/// arithmetic) is evaluated once per pair. An edge without its reverse (e.g. cut by
/// `max_neighbors`) is a pair of its own.
///
///     pair[e]             the pair of edge e, 0..<count
///     representative[p]   one edge of pair p (the first in edge order); its vector stands for the pair
public struct EdgePairs: Sendable, Equatable {
    public let pair: [Int32]
    public let representative: [Int32]

    /// Number of pairs.
    public var count: Int { representative.count }

    /// Pairs the edges of `graph` (indices must be valid: call `graph.validate()` first). Linear
    /// in the number of edges: edges are bucketed by destination, and the reverse of `a → b` is
    /// looked up among the edges into `a`.
    public init(_ graph: AtomGraph) {
        let E = graph.edgeCount, N = graph.atomCount
        let src = graph.edgeSource, dst = graph.edgeDestination, shifts = graph.edgeShifts
        var start = [Int](repeating: 0, count: N + 1)
        for d in dst { start[Int(d) + 1] += 1 }
        for i in 0..<N { start[i + 1] += start[i] }
        var fill = start
        var byDestination = [Int32](repeating: 0, count: E)
        for e in 0..<E {
            let d = Int(dst[e])
            byDestination[fill[d]] = Int32(e)
            fill[d] += 1
        }
        var pair = [Int32](repeating: -1, count: E)
        var representative: [Int32] = []
        representative.reserveCapacity(E / 2 + 1)
        for e in 0..<E where pair[e] < 0 {
            let p = Int32(representative.count)
            representative.append(Int32(e))
            pair[e] = p
            let a = Int(src[e]), b = dst[e], reverse = 0 &- shifts[e]
            for k in start[a] ..< start[a + 1] {
                let f = Int(byDestination[k])
                if f != e, pair[f] < 0, src[f] == b, shifts[f] == reverse {
                    pair[f] = p
                    break
                }
            }
        }
        self.pair = pair
        self.representative = representative
    }
}
