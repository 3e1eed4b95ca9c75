/// Reads the batches of one rank for an epoch, lazily, and turns them into `GraphBatch`es.
///
/// `sources[s]` is shard `s` of the sampler's plan (`sources[s].count` must equal
/// `plan.shardSizes[s]`); only shards in this rank's part are ever read. For each step the
/// loader finds the sampler chunks (`EpochSampler.chunk(containing:)`) the batch needs,
/// reads the missing ones — adjacent chunks of one shard merged into a single contiguous
/// `read(range)` — and keeps up to `cacheCapacity` structures in a least-recently-used
/// chunk cache. The default capacity, `2 · chunkSize · windowChunks + batchSize`, holds two
/// shuffle windows, so with the sampler's windowed order every chunk is read once per epoch.
/// A balanced sampler (`loads`) draws each step from every rank's windows: the default capacity
/// is then `worldSize` times larger, and each rank reads the chunks of every rank's part.
///
/// One `GraphBatch` per step (all of the step's structures; the builder's caps are not
/// applied, so that every rank runs the same number of steps; split with
/// `BatchBuilder.batches` for micro-batches). Structures keep their order in the batch.
public final class DataLoader {
    public let sources: [any StructureSource]
    public let sampler: EpochSampler
    public let builder: BatchBuilder
    public let cacheCapacity: Int
    public private(set) var epoch: Int = 0
    /// Index of the next step in the current epoch.
    public private(set) var step: Int = 0
    private var plan: [[GlobalIndex]] = []

    private struct ChunkKey: Hashable { var shard: Int; var lower: Int }
    private var cache: [ChunkKey: (rows: Range<Int>, structures: [Structure], lastUse: Int)] = [:]
    private var cached = 0
    private var clock = 0

    /// - Throws: `DataError` when the number of sources or their sizes differ from the plan.
    public init(sources: [any StructureSource], sampler: EpochSampler, builder: BatchBuilder,
                cacheCapacity: Int? = nil) throws {
        let sizes = sampler.plan.shardSizes
        guard sources.count == sizes.count else {
            throw DataError(file: "data loader", field: "sources", "\(sources.count) sources for a plan of \(sizes.count) shards")
        }
        for (s, src) in sources.enumerated() where src.count != sizes[s] {
            throw DataError(file: "shard \(s)", field: "count", "source has \(src.count) structures, the plan expects \(sizes[s])")
        }
        self.sources = sources
        self.sampler = sampler
        self.builder = builder
        // Balanced (`sampler.loads`): a step draws from every rank's current windows.
        let ranks = sampler.loads == nil ? 1 : sampler.plan.worldSize
        self.cacheCapacity = max(1, cacheCapacity ?? ranks * (2 * sampler.chunkSize * sampler.windowChunks + sampler.batchSize))
    }

    public var stepsPerEpoch: Int { sampler.stepsPerEpoch }

    /// Starts (or restarts) `epoch` at step 0.
    public func start(epoch: Int) {
        self.epoch = epoch
        step = 0
        plan = sampler.batches(epoch: epoch)
    }

    /// Starts a pass over `sampler.evaluationBatches()`: all of this rank's part once, in
    /// storage order, no tail dropped (the number of steps may differ between ranks).
    public func startEvaluation() {
        epoch = -1
        step = 0
        plan = sampler.evaluationBatches()
    }

    /// Batches of the current pass (`start(epoch:)` or `startEvaluation()`).
    public var stepsInPass: Int { plan.count }

    /// The next step's batch of the current epoch, or nil when the epoch is over.
    public func next() throws -> GraphBatch? {
        guard step < plan.count else { return nil }
        let indices = plan[step]
        let structures = try self.structures(indices)
        step += 1
        let labels = zip(indices, structures).map { g, s in
            "\(sources[g.shard].sourceName), structure \(g.index)"
                + (s.id.map { " (id \($0))" } ?? "") + " (epoch \(epoch) step \(step - 1))"
        }
        return try builder.build(structures, context: "epoch \(epoch) step \(step - 1)", labels: labels)
    }

    /// Structures for `indices` (each must lie in this rank's part), read through the cache.
    public func structures(_ indices: [GlobalIndex]) throws -> [Structure] {
        var keys: [ChunkKey] = []
        var seen = Set<ChunkKey>()
        var ranges: [ChunkKey: Range<Int>] = [:]
        for g in indices {
            guard let c = sampler.chunk(containing: g) else {
                throw DataError(file: "shard \(g.shard)", field: "index", "row \(g.index) is not in rank \(sampler.plan.rank)'s part")
            }
            let k = ChunkKey(shard: c.shard, lower: c.range.lowerBound)
            if seen.insert(k).inserted { keys.append(k); ranges[k] = c.range }
        }
        // read missing chunks, merging adjacent ones of the same shard
        let missing = keys.filter { cache[$0] == nil }.sorted { ($0.shard, $0.lower) < ($1.shard, $1.lower) }
        var a = 0
        var fetched: [ChunkKey: [Structure]] = [:]
        while a < missing.count {
            var b = a + 1
            while b < missing.count, missing[b].shard == missing[a].shard,
                  ranges[missing[b]]!.lowerBound == ranges[missing[b - 1]]!.upperBound { b += 1 }
            let shard = missing[a].shard
            let rows = ranges[missing[a]]!.lowerBound..<ranges[missing[b - 1]]!.upperBound
            let got = try sources[shard].read(rows)
            guard got.count == rows.count else {
                throw DataError(file: "shard \(shard)", field: "read", "asked for rows \(rows), got \(got.count) structures")
            }
            for k in missing[a..<b] {
                let r = ranges[k]!
                fetched[k] = Array(got[(r.lowerBound - rows.lowerBound)..<(r.upperBound - rows.lowerBound)])
            }
            a = b
        }
        clock += 1
        var out: [Structure] = []
        out.reserveCapacity(indices.count)
        for g in indices {
            let c = sampler.chunk(containing: g)!
            let k = ChunkKey(shard: c.shard, lower: c.range.lowerBound)
            if let f = fetched[k] { out.append(f[g.index - c.range.lowerBound]) }
            else { out.append(cache[k]!.structures[g.index - c.range.lowerBound]) }
        }
        for k in keys {
            if let f = fetched[k] {
                cache[k] = (ranges[k]!, f, clock)
                cached += f.count
            } else {
                cache[k]!.lastUse = clock
            }
        }
        evict()
        return out
    }

    private func evict() {
        guard cached > cacheCapacity else { return }
        let order = cache.sorted { ($0.value.lastUse, $0.key.shard, $0.key.lower) < ($1.value.lastUse, $1.key.shard, $1.key.lower) }
        for (k, v) in order where cached > cacheCapacity {
            cache[k] = nil
            cached -= v.structures.count
        }
    }

    /// Structures currently cached.
    public var cachedCount: Int { cached }
}
