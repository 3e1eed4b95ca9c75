import XCTest
import SE3Data

final class ShardPlanTests: XCTestCase {
    let shardConfigs: [[Int]] = [[37], [20, 13], [11, 30, 7, 25]]

    func testPlansAreDisjointAndComplete() throws {
        for sizes in shardConfigs {
            for world in [1, 2, 3, 5] {
                for mode in ShardPlan.Mode.allCases where !(mode == .wholeShards && sizes.count < world) {
                    let plans = try (0..<world).map { try ShardPlan(shardSizes: sizes, worldSize: world, rank: $0, mode: mode) }
                    var owner = [GlobalIndex: Int]()
                    for p in plans {
                        XCTAssertEqual(p.partsByRank, plans[0].partsByRank, "every rank computes the same plan")
                        for part in p.parts { for i in part.range {
                            let g = GlobalIndex(shard: part.shard, index: i)
                            XCTAssertNil(owner[g], "\(g) owned twice (sizes \(sizes), world \(world), \(mode))")
                            owner[g] = p.rank
                        }}
                        XCTAssertEqual(p.count, p.parts.reduce(0) { $0 + $1.range.count })
                    }
                    XCTAssertEqual(owner.count, sizes.reduce(0, +), "complete: sizes \(sizes) world \(world) \(mode)")
                    let counts = plans[0].rankCounts
                    if plans[0].mode == .ranges {
                        XCTAssertLessThanOrEqual(counts.max()! - counts.min()!, 1)
                    } else {
                        XCTAssertEqual(plans[0].mode, .wholeShards)
                        XCTAssertGreaterThanOrEqual(sizes.count, world)
                        // whole files: every shard belongs to exactly one rank, full range
                        for p in plans { for part in p.parts { XCTAssertEqual(part.range, 0..<sizes[part.shard]) } }
                    }
                }
            }
        }
    }

    func testWholeShardGreedyBalance() throws {
        // LPT: 30 → r0, 25 → r1, 11 → r1 (36), 7 → r0 (37)
        let p = try ShardPlan(shardSizes: [11, 30, 7, 25], worldSize: 2, rank: 0, mode: .wholeShards)
        XCTAssertEqual(p.partsByRank.map { $0.map { $0.shard } }, [[1, 2], [0, 3]])
        XCTAssertEqual(p.rankCounts, [37, 36])
        let auto = try ShardPlan(shardSizes: [11, 30, 7, 25], worldSize: 2, rank: 1)
        XCTAssertEqual(auto.mode, .wholeShards)
        // 3 ranks over [11, 30, 7, 25]: LPT totals 30, 25, 18 → unbalanced → automatic uses ranges
        let un = try ShardPlan(shardSizes: [11, 30, 7, 25], worldSize: 3, rank: 0)
        XCTAssertEqual(un.mode, .ranges)
        XCTAssertEqual(un.rankCounts, [24, 24, 25])
        XCTAssertEqual(try ShardPlan(shardSizes: [11, 30, 7, 25], worldSize: 3, rank: 0, balanceTolerance: 0.5).mode, .wholeShards)
        // ranges crossing shard boundaries
        let r = try ShardPlan(shardSizes: [20, 13], worldSize: 3, rank: 1)
        XCTAssertEqual(r.parts, [ShardPlan.Part(shard: 0, range: 11..<20), ShardPlan.Part(shard: 1, range: 0..<2)])
    }

    func testBadPlansThrow() {
        XCTAssertThrowsError(try ShardPlan(shardSizes: [3], worldSize: 0, rank: 0))
        XCTAssertThrowsError(try ShardPlan(shardSizes: [3], worldSize: 2, rank: 2))
        XCTAssertThrowsError(try ShardPlan(shardSizes: [3, -1], worldSize: 1, rank: 0))
        XCTAssertThrowsError(try ShardPlan(shardSizes: [3], worldSize: 2, rank: 0, mode: .wholeShards))
    }
}
