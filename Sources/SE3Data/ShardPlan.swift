/// Which part of a sharded dataset one rank of `worldSize` owns. Every rank computes the
/// same plan from the same inputs (no communication), and the parts of different ranks are
/// disjoint and together cover the whole dataset.
///
/// Modes:
/// - `wholeShards`: each rank owns whole shard files. Shards are assigned greedily,
///   largest first (ties: lower shard index first), each to the rank with the smallest
///   current total (ties: lowest rank) — the LPT rule, deterministic. Needs
///   `shardCount >= worldSize` (else a rank would get nothing).
/// - `ranges`: the concatenated index space `0 ..< total` (shards in order) is cut into
///   `worldSize` contiguous ranges, rank r owning `[⌊r·T/W⌋, ⌊(r+1)·T/W⌋)` (sizes differ by
///   at most one); a range may span shard boundaries.
/// - `automatic` (default): `wholeShards` when `shardCount >= worldSize` and the LPT totals
///   are balanced (`min ≥ balanceTolerance · max`), otherwise `ranges`. Balance matters
///   because every rank runs the same number of steps, set by the smallest rank
///   (see `EpochSampler`).
public struct ShardPlan: Equatable, Sendable {
    public enum Mode: String, Equatable, Sendable, CaseIterable {
        case automatic, wholeShards, ranges
    }

    /// A contiguous run of rows `range` in shard `shard`.
    public struct Part: Equatable, Hashable, Sendable {
        public var shard: Int
        public var range: Range<Int>
        public init(shard: Int, range: Range<Int>) {
            self.shard = shard
            self.range = range
        }
    }

    public let shardSizes: [Int]
    public let worldSize: Int
    public let rank: Int
    /// The mode actually used (`wholeShards` or `ranges`, never `automatic`).
    public let mode: Mode
    /// Parts of every rank, each sorted by shard then row; `partsByRank[rank]` is this rank's.
    public let partsByRank: [[Part]]

    /// - Throws: `DataError` (file "shard plan") for negative sizes, `worldSize < 1`, a rank
    ///   outside `0..<worldSize`, or `wholeShards` with fewer shards than ranks.
    public init(shardSizes: [Int], worldSize: Int, rank: Int, mode: Mode = .automatic,
                balanceTolerance: Double = 0.9) throws {
        let ctx = "shard plan"
        guard worldSize >= 1 else { throw DataError(file: ctx, field: "worldSize", "world size must be >= 1, got \(worldSize)") }
        guard (0..<worldSize).contains(rank) else {
            throw DataError(file: ctx, field: "rank", "rank \(rank) is outside 0..<\(worldSize)")
        }
        for (s, n) in shardSizes.enumerated() where n < 0 {
            throw DataError(file: ctx, field: "shardSizes", "shard \(s) has negative size \(n)")
        }
        if mode == .wholeShards && shardSizes.count < worldSize {
            throw DataError(file: ctx, field: "mode", "wholeShards needs at least as many shards (\(shardSizes.count)) as ranks (\(worldSize))")
        }
        self.shardSizes = shardSizes
        self.worldSize = worldSize
        self.rank = rank
        var chosen = mode
        var parts: [[Part]] = []
        if mode != .ranges && shardSizes.count >= worldSize {
            parts = ShardPlan.wholeShardParts(shardSizes, worldSize)
            if mode == .automatic {
                let totals = parts.map { $0.reduce(0) { $0 + $1.range.count } }
                let lo = totals.min() ?? 0, hi = totals.max() ?? 0
                chosen = Double(lo) >= balanceTolerance * Double(hi) ? .wholeShards : .ranges
            }
        } else {
            chosen = .ranges
        }
        if chosen == .ranges { parts = ShardPlan.rangeParts(shardSizes, worldSize) }
        self.mode = chosen
        self.partsByRank = parts
    }

    static func wholeShardParts(_ sizes: [Int], _ world: Int) -> [[Part]] {
        let order = sizes.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
        var totals = [Int](repeating: 0, count: world)
        var parts = [[Part]](repeating: [], count: world)
        for s in order {
            var r = 0
            for q in 1..<world where totals[q] < totals[r] { r = q }
            totals[r] += sizes[s]
            parts[r].append(Part(shard: s, range: 0..<sizes[s]))
        }
        return parts.map { $0.sorted { $0.shard < $1.shard } }
    }

    static func rangeParts(_ sizes: [Int], _ world: Int) -> [[Part]] {
        let total = sizes.reduce(0, +)
        var parts = [[Part]](repeating: [], count: world)
        for r in 0..<world {
            let lo = r * total / world, hi = (r + 1) * total / world
            var base = 0
            for (s, n) in sizes.enumerated() {
                let a = max(lo, base), b = min(hi, base + n)
                if a < b { parts[r].append(Part(shard: s, range: (a - base)..<(b - base))) }
                base += n
            }
        }
        return parts
    }

    /// This rank's parts.
    public var parts: [Part] { partsByRank[rank] }
    /// Structures owned by each rank.
    public var rankCounts: [Int] { partsByRank.map { $0.reduce(0) { $0 + $1.range.count } } }
    /// Structures owned by this rank.
    public var count: Int { rankCounts[rank] }
    /// Structures in the whole dataset.
    public var totalCount: Int { shardSizes.reduce(0, +) }
    /// The shards this rank reads from.
    public var shards: [Int] { parts.map { $0.shard } }
}
