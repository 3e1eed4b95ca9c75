/// The cost of every structure of a sharded dataset, for balancing ranks (`EpochSampler`'s
/// `loads`): `values[shard][row]`, its number of atoms or of directed edges.
public struct StructureLoads: Equatable, Sendable {
    /// What a load counts.
    public enum Kind: String, Equatable, Sendable, CaseIterable {
        case atoms, edges
    }

    public let kind: Kind
    public let values: [[Int]]

    public init(kind: Kind, values: [[Int]]) {
        self.kind = kind
        self.values = values
    }

    /// The atom counts of every structure, from the shards' `/offsets` (no reading).
    public static func atoms(of shards: [DatasetShard]) -> StructureLoads {
        StructureLoads(kind: .atoms, values: shards.map { s in
            (0..<s.count).map { s.offsets[$0 + 1] - s.offsets[$0] }
        })
    }

    /// The load of structure `g`.
    public subscript(_ g: GlobalIndex) -> Int { values[g.shard][g.index] }

    /// Structures per shard.
    public var shardSizes: [Int] { values.map(\.count) }
}
