import XCTest
import SE3Data

/// Records every read so tests can check locality and chunking.
final class CountingSource: StructureSource {
    let inner: InMemorySource
    let shard: Int
    var reads: [Range<Int>] = []
    init(_ inner: InMemorySource, shard: Int) { self.inner = inner; self.shard = shard }
    var count: Int { inner.count }
    var targets: [TargetInfo] { inner.targets }
    func read(_ range: Range<Int>) throws -> [Structure] {
        reads.append(range)
        return try inner.read(range)
    }
}

final class LoaderTests: XCTestCase {
    func makeShards(_ sizes: [Int]) -> [CountingSource] {
        var g = SamplerGenerator(seed: 21)
        var id: Int64 = 0
        return sizes.enumerated().map { (s, n) in
            let structures = (0..<n).map { _ -> Structure in
                let a = 2 + g.nextIndex(below: 4)
                let pos = (0..<a).map { _ in SIMD3(g.nextUnit() * 3, g.nextUnit() * 3, g.nextUnit() * 3) }
                defer { id += 1 }
                return Structure(atomicNumbers: [Int32](repeating: 6, count: a), positions: pos, id: id,
                                 graphTargets: ["energy": [Double(id)]])
            }
            return CountingSource(InMemorySource(structures: structures, name: "shard\(s)"), shard: s)
        }
    }

    func testLoaderReadsOnlyItsPartInChunks() throws {
        let sizes = [50, 64, 30, 41]
        for world in [1, 2, 3] {
            var allIds = Set<Int64>()
            for rank in 0..<world {
                let shards = makeShards(sizes)
                let plan = try ShardPlan(shardSizes: sizes, worldSize: world, rank: rank)
                let sampler = try EpochSampler(plan: plan, batchSize: 6, seed: 5, chunkSize: 8, windowChunks: 4)
                let loader = try DataLoader(sources: shards, sampler: sampler, builder: BatchBuilder(cutoff: 2.0))
                loader.start(epoch: 1)
                var steps = 0
                var ids: [Int64] = []
                while let b = try loader.next() {
                    XCTAssertEqual(b.graphCount, 6)
                    XCTAssertEqual(b.graphTargets["energy"], b.ids.map { Double($0!) })
                    ids += b.ids.map { $0! }
                    steps += 1
                    XCTAssertLessThanOrEqual(loader.cachedCount, loader.cacheCapacity)
                }
                XCTAssertEqual(steps, sampler.stepsPerEpoch)
                // batches are exactly the sampler's, in order
                let base = sizes.indices.map { s in sizes[..<s].reduce(0, +) }
                XCTAssertEqual(ids, sampler.batches(epoch: 1).flatMap { $0 }.map { Int64(base[$0.shard] + $0.index) })
                XCTAssertTrue(allIds.isDisjoint(with: ids))
                allIds.formUnion(ids)
                // locality: only this rank's rows are read, never one structure at a time, each row at most once
                var readRows = [GlobalIndex]()
                for src in shards {
                    for r in src.reads {
                        XCTAssertTrue(plan.parts.contains { $0.shard == src.shard && $0.range.contains(r.lowerBound) && r.upperBound <= $0.range.upperBound },
                                      "read \(r) of shard \(src.shard) outside rank \(rank)'s part")
                        readRows += r.map { GlobalIndex(shard: src.shard, index: $0) }
                    }
                    if !plan.shards.contains(src.shard) { XCTAssertTrue(src.reads.isEmpty) }
                }
                XCTAssertEqual(Set(readRows).count, readRows.count, "no row read twice within the epoch")
                let readCalls = shards.reduce(0) { $0 + $1.reads.count }
                XCTAssertLessThanOrEqual(readCalls, sampler.chunks.count)
                XCTAssertLessThan(Double(readCalls), Double(readRows.count) / 4, "reads come in contiguous runs")
            }
        }
    }

    func testNoShuffleMergesAdjacentChunksAndSmallCacheStillCorrect() throws {
        let sizes = [40]
        let shards = makeShards(sizes)
        let plan = try ShardPlan(shardSizes: sizes, worldSize: 1, rank: 0)
        let sampler = try EpochSampler(plan: plan, batchSize: 10, shuffle: false, chunkSize: 4)
        // cache smaller than a batch: still the right structures
        let loader = try DataLoader(sources: shards, sampler: sampler, builder: BatchBuilder(cutoff: 2.0), cacheCapacity: 3)
        loader.start(epoch: 0)
        var ids: [Int64] = []
        while let b = try loader.next() { ids += b.ids.map { $0! } }
        XCTAssertEqual(ids, Array(0..<40))
        // each batch of 10 rows spans 3-4 adjacent chunks, read in one call each step
        XCTAssertEqual(shards[0].reads.count, 4)
        XCTAssertTrue(shards[0].reads.allSatisfy { $0.count >= 8 })
    }

    func testEvaluationPassCoversTheWholePart() throws {
        let sizes = [13, 9]
        var ids = [Int64]()
        for rank in 0..<3 {
            let shards = makeShards(sizes)
            let sampler = try EpochSampler(plan: ShardPlan(shardSizes: sizes, worldSize: 3, rank: rank), batchSize: 4, chunkSize: 3)
            let loader = try DataLoader(sources: shards, sampler: sampler, builder: BatchBuilder(cutoff: 2))
            loader.startEvaluation()
            XCTAssertEqual(loader.stepsInPass, (sampler.plan.count + 3) / 4)
            while let b = try loader.next() { ids += b.ids.map { $0! } }
        }
        XCTAssertEqual(ids, Array(0..<22))
    }

    func testLoaderChecksSources() throws {
        let shards = makeShards([10, 5])
        let plan = try ShardPlan(shardSizes: [10, 6], worldSize: 1, rank: 0)
        let sampler = try EpochSampler(plan: plan, batchSize: 2)
        XCTAssertThrowsError(try DataLoader(sources: shards, sampler: sampler, builder: BatchBuilder(cutoff: 2)))
        XCTAssertThrowsError(try DataLoader(sources: [shards[0]], sampler: sampler, builder: BatchBuilder(cutoff: 2)))
        XCTAssertThrowsError(try InMemorySource(structures: []).read(0..<1))
    }

    /// A structure the builder refuses (here: coincident atoms) is named by its source, its
    /// row and its id.
    func testRefusedStructureNamesItsSourceAndRow() throws {
        var structures = (0..<4).map { k in
            Structure(atomicNumbers: [6, 8], positions: [.zero, SIMD3(1.2, 0, 0)], id: Int64(100 + k), graphTargets: ["energy": [0]])
        }
        structures[2].positions[1] = .zero
        let source = InMemorySource(structures: structures, name: "bad.h5")
        let sampler = try EpochSampler(plan: try ShardPlan(shardSizes: [4], worldSize: 1, rank: 0), batchSize: 4, shuffle: false)
        let builder = BatchBuilder(neighborList: NeighborList(cutoff: 5, minDistance: 0.1))
        let loader = try DataLoader(sources: [source], sampler: sampler, builder: builder)
        loader.start(epoch: 0)
        XCTAssertThrowsError(try loader.next()) {
            let e = $0 as? DataError
            XCTAssertEqual(e?.file, "bad.h5, structure 2 (id 102) (epoch 0 step 0)", "\($0)")
            XCTAssertEqual(e?.field, "positions")
        }
    }
}
