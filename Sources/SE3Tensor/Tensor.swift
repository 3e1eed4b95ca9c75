import SE3Core
/// A dense, row-major, contiguous tensor.
///
/// Element `(i0, i1, …, i_{r-1})` of a tensor of shape `[d0, d1, …, d_{r-1}]`
/// lives at `scalars[((i0·d1 + i1)·d2 + …)·d_{r-1} + i_{r-1}]`. The rank-0
/// shape `[]` is a scalar (`count == 1`); reductions such as `sum` return it.
/// "Rows" are always indexed by the first dimension, "columns" by the second.
public struct Tensor<T: TensorScalar>: Equatable, Sendable {
    public var shape: [Int]
    public var scalars: [T]

    /// Wraps `scalars` (row-major) as a tensor of `shape`; the counts must agree.
    @inlinable
    public init(shape: [Int], scalars: [T]) {
        require(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        require(shapeCount(shape) == scalars.count,
                    "shape \(shape) needs \(shapeCount(shape)) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of `shape` filled with zeros.
    @inlinable
    public init(zeros shape: [Int]) {
        self.init(repeating: 0, shape: shape)
    }

    /// A tensor of `shape` filled with `value`.
    @inlinable
    public init(repeating value: T, shape: [Int]) {
        require(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        self.shape = shape
        self.scalars = [T](repeating: value, count: shapeCount(shape))
    }

    /// A rank-0 (scalar) tensor.
    @inlinable
    public init(_ scalar: T) {
        self.shape = []
        self.scalars = [scalar]
    }

    /// Number of elements (product of `shape`, 1 for rank 0).
    @inlinable public var count: Int { scalars.count }
    /// Number of dimensions.
    @inlinable public var rank: Int { shape.count }

    /// The same scalars with another shape of equal count.
    @inlinable
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// Element-wise conversion to another scalar type (`Float(x)`, `Double(x)`).
    @inlinable
    public func converted<U: TensorScalar>(to: U.Type) -> Tensor<U> {
        if let same = self as? Tensor<U> { return same }
        return Tensor<U>(shape: shape, scalars: scalars.map { U($0) })
    }

    /// Row-major flat offset of a multi-index.
    @inlinable
    public func offset(of indices: [Int]) -> Int {
        require(indices.count == shape.count, "index rank \(indices.count) for shape \(shape)")
        var o = 0
        for (i, d) in zip(indices, shape) {
            require(i >= 0 && i < d, "index \(indices) out of range for shape \(shape)")
            o = o * d + i
        }
        return o
    }

    /// Element access by multi-index, e.g. `t[i, j]`.
    @inlinable
    public subscript(indices: Int...) -> T {
        get { scalars[offset(of: indices)] }
        set { scalars[offset(of: indices)] = newValue }
    }

    /// Number of rows (`shape[0]`, 1 for rank 0) and the number of scalars per row.
    @inlinable
    public var rowCount: Int { shape.first ?? 1 }
    @inlinable
    public var rowLength: Int { shape.isEmpty ? 1 : shapeCount(Array(shape.dropFirst())) }

    /// max |self - other| over all elements (shapes must agree); handy in tests.
    @inlinable
    public func maxAbsDifference(_ other: Tensor) -> T {
        require(shape == other.shape, "maxAbsDifference: shapes \(shape) and \(other.shape)")
        var m: T = 0
        for i in 0..<count { m = Swift.max(m, Swift.abs(scalars[i] - other.scalars[i])) }
        return m
    }
}

extension Tensor: Codable {}

extension Tensor: CustomStringConvertible {
    public var description: String { "Tensor(shape: \(shape), scalars: \(scalars))" }
}
