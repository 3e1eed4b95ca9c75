import SE3Core
/// A value recorded on a `Tape`. `id` is its position on the tape (inputs
/// always have smaller ids than the ops that use them). Variables are cheap
/// to copy (the tensor is copy-on-write) and only valid while their tape lives.
public struct Variable<T: TensorScalar> {
    public unowned let tape: Tape<T>
    public let id: Int
    public var value: Tensor<T>

    @inlinable
    init(tape: Tape<T>, id: Int, value: Tensor<T>) {
        self.tape = tape
        self.id = id
        self.value = value
    }

    /// Shape of `value`.
    @inlinable public var shape: [Int] { value.shape }
    /// Element count of `value`.
    @inlinable public var count: Int { value.count }
    /// Rank of `value`.
    @inlinable public var rank: Int { value.rank }
    /// Whether a gradient flows to this variable (it depends on a `variable`
    /// or `parameter` leaf).
    @inlinable public var requiresGrad: Bool { tape.requiresGrad(id) }
    /// The single scalar of a count-1 value (e.g. a loss).
    @inlinable public var scalar: T {
        require(value.count == 1, "scalar of a variable with shape \(shape)")
        return value.scalars[0]
    }
}
