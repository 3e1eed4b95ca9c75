/// Per-epoch batches of `GlobalIndex`es for one rank of a `ShardPlan`.
///
/// **Equal steps.** Every rank runs `stepsPerEpoch` steps, computed from the smallest rank
/// part `m = min_r n_r` (known to every rank without communication):
/// `dropLast = true`: `steps = ⌊m / B⌋`, every batch has exactly `B` structures;
/// `dropLast = false`: `steps = ⌈m / B⌉`, rank r uses `min(n_r, steps·B)` structures and only
/// its last batch may be smaller than `B`.
/// The rest of a rank's part (its *tail*, `n_r − used`) is skipped in that epoch. Nothing is
/// padded or duplicated. With `shuffle = true` the tail is a different random set of
/// chunks each epoch, so over epochs every structure is visited (probabilistically, not
/// on a fixed schedule); with `shuffle = false` the order is fixed and the same tail is
/// skipped every epoch — use `evaluationBatches()` to cover everything.
///
/// **Local, chunked order.** A rank's parts are cut into chunks of `chunkSize` consecutive
/// rows (a chunk never crosses a part boundary). With shuffling, the order of chunks is
/// permuted, then consecutive groups of `windowChunks` chunks ("windows") are formed and
/// the rows inside each window are permuted. A batch therefore draws from at most a few
/// windows, and a loader reads each chunk with one contiguous `read(range)` and keeps about
/// `chunkSize · windowChunks` structures in memory. `chunkSize = 1` gives a full shuffle.
/// Randomness: `SamplerGenerator(keys: [seed, epoch, rank])`, fixed Fisher–Yates; the
/// order is a pure function of (plan, seed, epoch, rank, sizes).
///
/// **Balanced ranks.** With `loads`, step `s`'s global batch (the union of every rank's batch
/// above) is split again over the ranks by load (`SamplerEpoch+Balance.swift`).
public struct EpochSampler: Equatable, Sendable {
    public let plan: ShardPlan
    /// Structures per rank per step (B).
    public let batchSize: Int
    public let seed: UInt64
    public let shuffle: Bool
    public let dropLast: Bool
    public let chunkSize: Int
    public let windowChunks: Int
    /// Per-structure loads to balance each step's global batch by (nil: no balancing).
    public let loads: StructureLoads?

    /// - Throws: `DataError` (file "sampler") for `batchSize`, `chunkSize` or `windowChunks` < 1,
    ///   or `loads` whose shard sizes differ from the plan's.
    public init(plan: ShardPlan, batchSize: Int, seed: UInt64 = 0, shuffle: Bool = true, dropLast: Bool = true,
                chunkSize: Int = 16, windowChunks: Int = 8, loads: StructureLoads? = nil) throws {
        guard batchSize >= 1 else { throw DataError(file: "sampler", field: "batchSize", "batch size must be >= 1, got \(batchSize)") }
        guard chunkSize >= 1 else { throw DataError(file: "sampler", field: "chunkSize", "chunk size must be >= 1, got \(chunkSize)") }
        guard windowChunks >= 1 else { throw DataError(file: "sampler", field: "windowChunks", "window must be >= 1 chunk, got \(windowChunks)") }
        if let l = loads, l.shardSizes != plan.shardSizes {
            throw DataError(file: "sampler", field: "loads", "loads for shards of \(l.shardSizes) structures, the plan has \(plan.shardSizes)")
        }
        self.plan = plan
        self.batchSize = batchSize
        self.seed = seed
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.chunkSize = chunkSize
        self.windowChunks = windowChunks
        self.loads = loads
    }

    /// Steps per epoch, identical on every rank.
    public var stepsPerEpoch: Int {
        let m = plan.rankCounts.min() ?? 0
        return dropLast ? m / batchSize : (m + batchSize - 1) / batchSize
    }

    /// Structures this rank uses per epoch (`≤ plan.count`); with `loads`, the number its
    /// unbalanced batches would hold (the same total over ranks).
    public var samplesPerEpoch: Int { min(plan.count, stepsPerEpoch * batchSize) }

    /// The chunks of this rank's part, in storage order.
    public var chunks: [ShardPlan.Part] { chunks(rank: plan.rank) }

    /// The chunks of rank `rank`'s part, in storage order.
    func chunks(rank: Int) -> [ShardPlan.Part] {
        var out: [ShardPlan.Part] = []
        for p in plan.partsByRank[rank] {
            var a = p.range.lowerBound
            while a < p.range.upperBound {
                let b = min(a + chunkSize, p.range.upperBound)
                out.append(ShardPlan.Part(shard: p.shard, range: a..<b))
                a = b
            }
        }
        return out
    }

    /// The chunk (shard and row range) containing `g`, or nil if `g` is not in this rank's part
    /// (with `loads`: in no rank's part; a balanced batch may hold any rank's structures).
    public func chunk(containing g: GlobalIndex) -> ShardPlan.Part? {
        let parts = loads == nil ? plan.parts : plan.partsByRank.flatMap { $0 }
        for p in parts where p.shard == g.shard && p.range.contains(g.index) {
            let a = p.range.lowerBound + (g.index - p.range.lowerBound) / chunkSize * chunkSize
            return ShardPlan.Part(shard: p.shard, range: a..<min(a + chunkSize, p.range.upperBound))
        }
        return nil
    }

    /// This rank's whole part in epoch order (a permutation of the part; see the type's documentation).
    public func order(epoch: Int) -> [GlobalIndex] { order(epoch: epoch, rank: plan.rank) }

    /// Rank `rank`'s part in epoch order: what `order(epoch:)` is on that rank.
    func order(epoch: Int, rank: Int) -> [GlobalIndex] {
        var cs = chunks(rank: rank)
        var out: [GlobalIndex] = []
        out.reserveCapacity(plan.rankCounts[rank])
        if !shuffle {
            for c in cs { for i in c.range { out.append(GlobalIndex(shard: c.shard, index: i)) } }
            return out
        }
        var g = SamplerGenerator(keys: [seed, UInt64(bitPattern: Int64(epoch)), UInt64(rank)])
        g.shuffle(&cs)
        var w = 0
        while w < cs.count {
            var window: [GlobalIndex] = []
            for c in cs[w..<min(w + windowChunks, cs.count)] {
                for i in c.range { window.append(GlobalIndex(shard: c.shard, index: i)) }
            }
            g.shuffle(&window)
            out += window
            w += windowChunks
        }
        return out
    }

    /// The `stepsPerEpoch` batches of this rank for `epoch` (with `loads`: its balanced share of
    /// each step's global batch).
    public func batches(epoch: Int) -> [[GlobalIndex]] {
        if loads != nil { return balancedBatches(epoch: epoch).map { $0[plan.rank] } }
        return unbalancedBatches(epoch: epoch, rank: plan.rank)
    }

    /// Rank `rank`'s batches without balancing: consecutive runs of `batchSize` of its order.
    func unbalancedBatches(epoch: Int, rank: Int) -> [[GlobalIndex]] {
        let all = order(epoch: epoch, rank: rank)
        let used = min(plan.rankCounts[rank], stepsPerEpoch * batchSize)
        var out: [[GlobalIndex]] = []
        out.reserveCapacity(stepsPerEpoch)
        var a = 0
        while a < used {
            let b = min(a + batchSize, used)
            out.append(Array(all[a..<b]))
            a = b
        }
        return out
    }

    /// Every structure of this rank's part once, in storage order, in batches of `batchSize`
    /// (the last may be smaller). The number of batches, `⌈n_r / B⌉`, may differ between
    /// ranks: do not run per-step collectives over it (reduce once at the end).
    public func evaluationBatches() -> [[GlobalIndex]] {
        var all: [GlobalIndex] = []
        for p in plan.parts { for i in p.range { all.append(GlobalIndex(shard: p.shard, index: i)) } }
        var out: [[GlobalIndex]] = []
        var a = 0
        while a < all.count {
            let b = min(a + batchSize, all.count)
            out.append(Array(all[a..<b]))
            a = b
        }
        return out
    }
}
