/// Anything that yields structures by index: an HDF5 shard, a directory of shards,
/// or an in-memory array. Readers are lazy: `read` touches only the requested range.
public protocol StructureSource {
    /// Number of structures.
    var count: Int { get }
    /// The targets every structure carries.
    var targets: [TargetInfo] { get }
    /// Structures `range.lowerBound ..< range.upperBound`, in order.
    func read(_ range: Range<Int>) throws -> [Structure]
    /// What errors about its structures name (a shard's file path).
    var sourceName: String { get }
}

extension StructureSource {
    public var sourceName: String { "structure source" }
}
