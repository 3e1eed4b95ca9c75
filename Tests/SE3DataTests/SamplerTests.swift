import XCTest
import SE3Data

final class SamplerTests: XCTestCase {
    let shardConfigs: [[Int]] = [[37], [20, 13], [11, 30, 7, 25]]

    func samplers(_ sizes: [Int], world: Int, batch: Int, dropLast: Bool, shuffle: Bool = true,
                  chunk: Int = 4, window: Int = 3) throws -> [EpochSampler] {
        try (0..<world).map {
            try EpochSampler(plan: ShardPlan(shardSizes: sizes, worldSize: world, rank: $0), batchSize: batch,
                             seed: 99, shuffle: shuffle, dropLast: dropLast, chunkSize: chunk, windowChunks: window)
        }
    }

    func testEqualStepsDisjointAndDocumentedTail() throws {
        for sizes in shardConfigs {
            for world in [1, 2, 3, 5] {
                for batch in [1, 3, 8] {
                    for dropLast in [true, false] {
                        let ss = try samplers(sizes, world: world, batch: batch, dropLast: dropLast)
                        let m = ss[0].plan.rankCounts.min()!
                        let steps = dropLast ? m / batch : (m + batch - 1) / batch
                        var seen = Set<GlobalIndex>()
                        for s in ss {
                            let b = s.batches(epoch: 2)
                            XCTAssertEqual(b.count, steps, "equal steps: \(sizes) w\(world) b\(batch) \(dropLast)")
                            XCTAssertEqual(s.stepsPerEpoch, steps)
                            for (k, x) in b.enumerated() {
                                if dropLast || k < b.count - 1 { XCTAssertEqual(x.count, batch) }
                                XCTAssertGreaterThan(x.count, 0)
                            }
                            let flat = b.flatMap { $0 }
                            // used = min(n_r, steps·B); tail = the rest of the rank's part
                            XCTAssertEqual(flat.count, min(s.plan.count, steps * batch))
                            let own = Set(s.plan.parts.flatMap { p in p.range.map { GlobalIndex(shard: p.shard, index: $0) } })
                            XCTAssertTrue(Set(flat).isSubset(of: own), "local: only this rank's part")
                            XCTAssertEqual(Set(flat).count, flat.count, "no duplicates")
                            XCTAssertTrue(seen.isDisjoint(with: flat), "disjoint across ranks")
                            seen.formUnion(flat)
                            // the permutation covers the whole part
                            XCTAssertEqual(Set(s.order(epoch: 2)), own)
                            XCTAssertEqual(s.order(epoch: 2).count, own.count)
                        }
                    }
                }
            }
        }
    }

    func testEveryStructureVisitedAcrossEpochs() throws {
        // 5 ranks over [11, 30, 7, 25] with batch 4: each rank drops a tail every epoch
        let ss = try samplers([11, 30, 7, 25], world: 5, batch: 4, dropLast: true)
        XCTAssertLessThan(ss.map { $0.samplesPerEpoch }.reduce(0, +), 73, "some tail is dropped per epoch")
        var visited = Set<GlobalIndex>()
        for epoch in 0..<40 { for s in ss { visited.formUnion(s.batches(epoch: epoch).flatMap { $0 }) } }
        XCTAssertEqual(visited.count, 73)
    }

    func testDeterministicPerSeedEpochAndDifferentAcrossEpochs() throws {
        let a = try samplers([11, 30, 7, 25], world: 2, batch: 5, dropLast: true)
        let b = try samplers([11, 30, 7, 25], world: 2, batch: 5, dropLast: true)
        for r in 0..<2 {
            XCTAssertEqual(a[r].batches(epoch: 3), b[r].batches(epoch: 3))
            XCTAssertNotEqual(a[r].batches(epoch: 3), a[r].batches(epoch: 4))
        }
        let other = try EpochSampler(plan: a[0].plan, batchSize: 5, seed: 100, chunkSize: 4, windowChunks: 3)
        XCTAssertNotEqual(other.batches(epoch: 3), a[0].batches(epoch: 3))
        // no shuffle: storage order, same every epoch
        let ns = try samplers([20, 13], world: 1, batch: 4, dropLast: false, shuffle: false)[0]
        XCTAssertEqual(ns.batches(epoch: 0), ns.batches(epoch: 7))
        XCTAssertEqual(ns.batches(epoch: 0).flatMap { $0 },
                       (0..<20).map { GlobalIndex(shard: 0, index: $0) } + (0..<13).map { GlobalIndex(shard: 1, index: $0) })
    }

    func testShuffleIsChunkedIntoWindows() throws {
        // chunk 4, window 3: every consecutive group of 12 positions (a window) is a union of 3 chunks
        let s = try samplers([40, 24], world: 1, batch: 6, dropLast: true, chunk: 4, window: 3)[0]
        let order = s.order(epoch: 1)
        let chunkOf: (GlobalIndex) -> ShardPlan.Part = { s.chunk(containing: $0)! }
        var w = 0
        while w < order.count {
            let window = order[w..<min(w + 12, order.count)]
            let chunks = Set(window.map(chunkOf))
            XCTAssertLessThanOrEqual(chunks.count, 3)
            // each chunk of the window is fully inside it
            XCTAssertEqual(chunks.reduce(0) { $0 + $1.range.count }, window.count)
            w += 12
        }
        XCTAssertNotEqual(order, s.plan.parts.flatMap { p in p.range.map { GlobalIndex(shard: p.shard, index: $0) } })
        // chunks never cross a shard or part boundary
        let t = try samplers([10, 7], world: 2, batch: 2, dropLast: true, chunk: 4, window: 3)
        XCTAssertEqual(t[0].chunks, [ShardPlan.Part(shard: 0, range: 0..<4), ShardPlan.Part(shard: 0, range: 4..<8)])
        XCTAssertEqual(t[1].chunks, [ShardPlan.Part(shard: 0, range: 8..<10), ShardPlan.Part(shard: 1, range: 0..<4),
                                     ShardPlan.Part(shard: 1, range: 4..<7)])
    }

    func testEvaluationBatchesCoverEverything() throws {
        let ss = try samplers([11, 30, 7, 25], world: 3, batch: 4, dropLast: true)
        var all = [GlobalIndex]()
        for s in ss {
            let e = s.evaluationBatches()
            XCTAssertEqual(e.count, (s.plan.count + 3) / 4)
            all += e.flatMap { $0 }
        }
        XCTAssertEqual(Set(all).count, 73)
        XCTAssertEqual(all.count, 73)
    }

    func testBadSamplerThrows() throws {
        let p = try ShardPlan(shardSizes: [5], worldSize: 1, rank: 0)
        XCTAssertThrowsError(try EpochSampler(plan: p, batchSize: 0))
        XCTAssertThrowsError(try EpochSampler(plan: p, batchSize: 2, chunkSize: 0))
        XCTAssertThrowsError(try EpochSampler(plan: p, batchSize: 2, windowChunks: 0))
    }
}
