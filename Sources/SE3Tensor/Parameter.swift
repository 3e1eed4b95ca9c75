/// A handle to one learnable tensor inside a `ParameterStore`: its scalars are
/// `store.values[offset ..< offset + count]` (row-major, `shape`), and its
/// gradient is the same range of `store.grads`.
public struct Parameter: Hashable, Codable, Sendable {
    public let name: String
    public let offset: Int
    public let shape: [Int]

    public init(name: String, offset: Int, shape: [Int]) {
        self.name = name
        self.offset = offset
        self.shape = shape
    }

    /// Number of scalars (product of `shape`).
    public var count: Int { shapeCount(shape) }
    /// The range of this parameter in `values` / `grads`.
    public var range: Range<Int> { offset ..< offset + count }
}
