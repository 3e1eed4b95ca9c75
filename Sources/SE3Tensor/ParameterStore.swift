import SE3Core
import SE3Math

/// All learnable parameters of a model in ONE contiguous buffer (`values`) and
/// their gradients in another of the same length (`grads`), so an optimiser
/// step, an MPI allreduce of gradients, clipping or a checkpoint is a single
/// pass over one array. Parameters are laid out in registration order:
/// `parameters[i].offset == parameters[0..<i].map(\.count).sum()`.
///
/// Gradients are *accumulated*: `Tape.backward` adds into `grads`; call
/// `zeroGrads()` before each step.
public final class ParameterStore<T: TensorScalar> {
    public var values: [T]
    public var grads: [T]
    public private(set) var parameters: [Parameter]
    private var index: [String: Int]

    public init() {
        values = []
        grads = []
        parameters = []
        index = [:]
    }

    /// Rebuilds a store from a layout and its values (e.g. a checkpoint);
    /// gradients start at zero. The layout must be contiguous in order.
    public init(parameters: [Parameter], values: [T]) {
        var offset = 0
        for p in parameters {
            require(p.offset == offset, "parameter \(p.name) at offset \(p.offset), expected \(offset)")
            offset += p.count
        }
        require(offset == values.count, "parameters need \(offset) values, got \(values.count)")
        self.parameters = parameters
        self.values = values
        self.grads = [T](repeating: 0, count: values.count)
        self.index = [:]
        for (i, p) in parameters.enumerated() {
            require(index[p.name] == nil, "duplicate parameter name \(p.name)")
            index[p.name] = i
        }
    }

    /// Appends a parameter named `name` (names are unique; a duplicate is a
    /// programming error and traps) and initialises it.
    @discardableResult
    public func register(_ name: String, shape: [Int], initializer: ParameterInit,
                         rng: inout SeededGenerator) -> Parameter {
        require(index[name] == nil, "duplicate parameter name \(name)")
        require(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape) of \(name)")
        let p = Parameter(name: name, offset: values.count, shape: shape)
        values.append(contentsOf: initializer.sample(count: p.count, as: T.self, using: &rng))
        grads.append(contentsOf: [T](repeating: 0, count: p.count))
        index[name] = parameters.count
        parameters.append(p)
        return p
    }

    /// Total number of scalars over all parameters.
    public var count: Int { values.count }

    public func parameter(named name: String) -> Parameter? {
        index[name].map { parameters[$0] }
    }

    /// A copy of the parameter's current value.
    public func value(_ p: Parameter) -> Tensor<T> {
        checkOwned(p)
        return Tensor(shape: p.shape, scalars: Array(values[p.range]))
    }

    /// Overwrites the parameter's value (shape must match).
    public func setValue(_ t: Tensor<T>, for p: Parameter) {
        checkOwned(p)
        require(t.shape == p.shape, "setValue: shape \(t.shape) for parameter \(p.name) of shape \(p.shape)")
        values.replaceSubrange(p.range, with: t.scalars)
    }

    /// A copy of the parameter's accumulated gradient.
    public func grad(_ p: Parameter) -> Tensor<T> {
        checkOwned(p)
        return Tensor(shape: p.shape, scalars: Array(grads[p.range]))
    }

    /// Sets every gradient to zero.
    public func zeroGrads() {
        grads.withUnsafeMutableBufferPointer { g in
            for i in g.indices { g[i] = 0 }
        }
    }

    /// Adds `g` (row-major, `count` scalars) into `grads[offset...]`.
    @usableFromInline
    func accumulateGrad(offset: Int, _ g: Tensor<T>) {
        require(offset >= 0 && offset + g.count <= grads.count, "gradient range out of store")
        let n = g.count
        grads.withUnsafeMutableBufferPointer { dst in
            g.scalars.withUnsafeBufferPointer { src in
                for i in 0..<n { dst[offset + i] += src[i] }
            }
        }
    }

    private func checkOwned(_ p: Parameter) {
        require(index[p.name].map { parameters[$0] == p } ?? false,
                    "parameter \(p.name) does not belong to this store")
    }
}
