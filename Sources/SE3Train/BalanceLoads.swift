import SE3Core
import SE3Data
import SE3Distributed

/// The per-structure loads `data.balance` splits each step's global batch by (`EpochSampler`,
/// `SamplerEpoch+Balance.swift`).
public enum BalanceLoads {
    /// nil for `none` and for a single rank (nothing to balance). `atoms`: from the shards'
    /// `/offsets`, on every rank, without reading. `edges`: the model's radius graph
    /// (`neighborList`: cutoff, `max_neighbors` and the structure checks) of every training
    /// structure, counted once at start-up: each rank counts a contiguous range
    /// (`ShardPlan` `ranges` mode) and one allgather gives every rank all counts.
    public static func make(_ balance: DataConfig.Balance, train: Dataset, neighborList: NeighborList,
                     comm: Communicator) throws -> StructureLoads? {
        guard comm.size > 1 else { return nil }
        switch balance {
        case .none: return nil
        case .atoms: return StructureLoads.atoms(of: train.shards)
        case .edges: return try edges(train, neighborList: neighborList, comm: comm)
        }
    }

    public static func edges(_ train: Dataset, neighborList: NeighborList, comm: Communicator) throws -> StructureLoads {
        let sizes = train.shards.map(\.count)
        let plan = try ShardPlan(shardSizes: sizes, worldSize: comm.size, rank: comm.rank, mode: .ranges)
        var local: [Double] = []
        local.reserveCapacity(plan.count)
        for part in plan.parts {
            let shard = train.shards[part.shard]
            var a = part.range.lowerBound
            while a < part.range.upperBound {
                let rows = a..<min(a + 256, part.range.upperBound)
                for (k, s) in try shard.read(rows).enumerated() {
                    let context = "\(shard.path), structure \(s.id.map(String.init) ?? "row \(rows.lowerBound + k)")"
                    local.append(Double(try neighborList.edges(for: s, context: context).count))
                }
                a = rows.upperBound
            }
        }
        let gathered = try comm.allgather(local)
        var values = sizes.map { [Int](repeating: 0, count: $0) }
        for (r, parts) in plan.partsByRank.enumerated() {
            require(gathered[r].count == plan.rankCounts[r],
                    "BalanceLoads.edges: rank \(r) sent \(gathered[r].count) edge counts for \(plan.rankCounts[r]) structures")
            var i = 0
            for p in parts {
                for row in p.range { values[p.shard][row] = Int(gathered[r][i]); i += 1 }
            }
        }
        return StructureLoads(kind: .edges, values: values)
    }
}
