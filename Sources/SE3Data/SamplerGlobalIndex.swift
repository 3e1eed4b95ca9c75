/// Position of one structure in a sharded dataset: shard file `shard`, row `index` inside it.
/// Loaders read `index` locally from shard `shard`'s `StructureSource`.
public struct GlobalIndex: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var shard: Int
    public var index: Int

    public init(shard: Int, index: Int) {
        self.shard = shard
        self.index = index
    }

    public static func < (a: GlobalIndex, b: GlobalIndex) -> Bool {
        a.shard != b.shard ? a.shard < b.shard : a.index < b.index
    }

    public var description: String { "(\(shard), \(index))" }
}
