import XCTest
import SE3Data

/// `data.balance`: each step's global batch split over the ranks by load (`BalancedPartition`).
final class BalancedSamplerTests: XCTestCase {
    let sizes = [70, 53, 91, 40]

    /// Mixed sizes, 3–60 atoms, as in a set of small and large molecules.
    func mixedLoads(seed: UInt64 = 3) -> StructureLoads {
        var g = SamplerGenerator(seed: seed)
        return StructureLoads(kind: .atoms, values: sizes.map { n in (0..<n).map { _ in 3 + g.nextIndex(below: 58) } })
    }

    func samplers(world: Int, batch: Int = 8, seed: UInt64 = 99, loads: StructureLoads?) throws -> [EpochSampler] {
        try (0..<world).map {
            try EpochSampler(plan: ShardPlan(shardSizes: sizes, worldSize: world, rank: $0), batchSize: batch, seed: seed,
                             chunkSize: 4, windowChunks: 3, loads: loads)
        }
    }

    func testPartitionIsLongestProcessingTimeFirst() {
        // 7 → 0, 5 → 1, 4 → 1 (9), 3 → 0 (10), 3 → 1 (12), 2 → 0 (12)
        XCTAssertEqual(BalancedPartition.split([7, 5, 4, 3, 3, 2], parts: 2), [[0, 3, 5], [1, 2, 4]])
        // equal loads: ties go to the group with fewer items, so counts stay even
        XCTAssertEqual(BalancedPartition.split([1, 1, 1, 1, 1, 1], parts: 3).map(\.count), [2, 2, 2])
        // zero loads still reach every group
        XCTAssertEqual(BalancedPartition.split([0, 0, 0, 5], parts: 4).map(\.count), [1, 1, 1, 1])
        var g = SamplerGenerator(seed: 8)
        for parts in [1, 2, 3, 8] {
            let loads = (0..<(parts * 6)).map { _ in 3 + g.nextIndex(below: 58) }
            let groups = BalancedPartition.split(loads, parts: parts)
            XCTAssertEqual(groups.flatMap { $0 }.sorted(), Array(loads.indices), "every item exactly once")
            XCTAssertTrue(groups.allSatisfy { !$0.isEmpty })
            let totals = groups.map { $0.reduce(0) { $0 + loads[$1] } }
            let mean = Double(loads.reduce(0, +)) / Double(parts)
            XCTAssertLessThanOrEqual(Double(totals.max()!), mean + Double(loads.max()!), "LPT bound")
        }
        XCTAssertEqual(BalancedPartition.maxOverMean([2, 4, 6]), 1.5)
        XCTAssertEqual(BalancedPartition.maxOverMean([0, 0]), 1)
    }

    /// Every rank computes the same split of the same global batch: each structure of a step goes
    /// to exactly one rank, the epoch uses the same structures as without balancing, and the
    /// per-step max/mean atom load stays below 1.05 with 2, 4 and 8 ranks (about 1.1–1.3 without).
    func testEveryRankSplitsTheSameGlobalBatchEvenly() throws {
        let loads = mixedLoads()
        for world in [2, 4, 8] {
            let balanced = try samplers(world: world, loads: loads)
            let plain = try samplers(world: world, loads: nil)
            let split = balanced[0].balancedBatches(epoch: 1)
            XCTAssertEqual(split.count, plain[0].stepsPerEpoch)
            for s in balanced {
                XCTAssertEqual(s.balancedBatches(epoch: 1), split, "same split on every rank, w\(world)")
                XCTAssertEqual(s.stepsPerEpoch, plain[0].stepsPerEpoch)
                XCTAssertEqual(s.batches(epoch: 1), split.map { $0[s.plan.rank] })
            }
            var used = Set<GlobalIndex>()
            for (k, step) in split.enumerated() {
                let global = plain.map { $0.batches(epoch: 1)[k] }.flatMap { $0 }
                let flat = step.flatMap { $0 }
                XCTAssertEqual(flat.count, global.count, "no structure dropped or duplicated")
                XCTAssertEqual(Set(flat), Set(global), "the same global batch, w\(world) step \(k)")
                XCTAssertTrue(step.allSatisfy { !$0.isEmpty }, "every rank has work")
                XCTAssertTrue(used.isDisjoint(with: flat), "each structure once per epoch")
                used.formUnion(flat)
            }
            XCTAssertEqual(used, Set(plain.flatMap { $0.batches(epoch: 1).flatMap { $0 } }))
            let ratio = balanced[0].rankLoads(epoch: 1, by: loads).map { BalancedPartition.maxOverMean($0.map(Double.init)) }
            let before = plain[0].rankLoads(epoch: 1, by: loads).map { BalancedPartition.maxOverMean($0.map(Double.init)) }
            XCTAssertLessThan(ratio.max()!, 1.05, "w\(world): \(ratio)")
            XCTAssertLessThan(ratio.reduce(0, +) / Double(ratio.count), before.reduce(0, +) / Double(before.count))
            XCTAssertGreaterThan(before.max()!, 1.05, "w\(world): the unbalanced split is uneven: \(before)")
        }
    }

    func testDeterministicFromSeedAndEpoch() throws {
        let loads = mixedLoads()
        let a = try samplers(world: 4, loads: loads)[2], b = try samplers(world: 4, loads: loads)[2]
        XCTAssertEqual(a.batches(epoch: 3), b.batches(epoch: 3))
        XCTAssertNotEqual(a.batches(epoch: 3), a.batches(epoch: 4))
        XCTAssertNotEqual(try samplers(world: 4, seed: 7, loads: loads)[2].batches(epoch: 3), a.batches(epoch: 3))
    }

    /// A balanced batch holds other ranks' structures: the loader reads them.
    func testLoaderReadsBalancedBatches() throws {
        var g = SamplerGenerator(seed: 21)
        var id: Int64 = 0
        let shards: [InMemorySource] = sizes.map { n in
            InMemorySource(structures: (0..<n).map { _ -> Structure in
                let a = 2 + g.nextIndex(below: 6)
                defer { id += 1 }
                return Structure(atomicNumbers: [Int32](repeating: 6, count: a),
                                 positions: (0..<a).map { _ in SIMD3(g.nextUnit() * 3, g.nextUnit() * 3, g.nextUnit() * 3) },
                                 id: id, graphTargets: ["energy": [Double(id)]])
            })
        }
        let atoms = StructureLoads(kind: .atoms, values: shards.map { $0.structures.map(\.atomCount) })
        let base = sizes.indices.map { s in sizes[..<s].reduce(0, +) }
        for rank in 0..<3 {
            let sampler = try EpochSampler(plan: ShardPlan(shardSizes: sizes, worldSize: 3, rank: rank), batchSize: 6,
                                           seed: 5, chunkSize: 8, windowChunks: 4, loads: atoms)
            let loader = try DataLoader(sources: shards, sampler: sampler, builder: BatchBuilder(cutoff: 2.0))
            XCTAssertEqual(loader.cacheCapacity, 3 * (2 * 8 * 4 + 6))
            loader.start(epoch: 2)
            var ids: [Int64] = []
            while let b = try loader.next() {
                ids += b.ids.map { $0! }
                XCTAssertLessThanOrEqual(loader.cachedCount, loader.cacheCapacity)
            }
            XCTAssertEqual(ids, sampler.batches(epoch: 2).flatMap { $0 }.map { Int64(base[$0.shard] + $0.index) })
            let own = Set(sampler.plan.parts.flatMap { p in p.range.map { GlobalIndex(shard: p.shard, index: $0) } })
            XCTAssertFalse(Set(sampler.batches(epoch: 2).flatMap { $0 }).isSubset(of: own), "other ranks' structures too")
        }
    }

    func testAtomLoadsComeFromTheOffsets() throws {
        let train = try Dataset(path: DatasetTestSupport.repositoryRoot() + "/configs/data/qm9-small/train")
        let loads = StructureLoads.atoms(of: train.shards)
        XCTAssertEqual(loads.shardSizes, train.shards.map(\.count))
        let first = try train.shards[0].read(0..<20)
        XCTAssertEqual((0..<20).map { loads[GlobalIndex(shard: 0, index: $0)] }, first.map(\.atomCount))
        XCTAssertEqual(loads.values.flatMap { $0 }.reduce(0, +), train.atomCount)
    }

    func testLoadsMustMatchThePlan() throws {
        let plan = try ShardPlan(shardSizes: [5, 4], worldSize: 2, rank: 0)
        XCTAssertThrowsError(try EpochSampler(plan: plan, batchSize: 2,
                                              loads: StructureLoads(kind: .atoms, values: [[1, 2, 3, 4, 5]]))) { e in
            XCTAssertEqual((e as? DataError)?.field, "loads")
        }
    }
}
