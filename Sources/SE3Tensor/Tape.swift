import SE3Core
/// A reverse-mode automatic differentiation tape (Wengert list).
///
/// Every op appends a node holding its value, its input ids and a backward
/// closure mapping the gradient of the output, ∂L/∂y, to one gradient (or nil)
/// per input, ∂L/∂xᵢ = (∂y/∂xᵢ)ᵀ ∂L/∂y. `backward` walks the nodes in reverse
/// order and sums contributions when a variable is used several times.
///
/// Nodes that depend on no `variable`/`parameter` leaf are constants: no
/// backward closure is stored for them and no gradient is computed.
/// Gradients of `parameter` leaves are ADDED to `store.grads` (see
/// `ParameterStore.zeroGrads`). Intermediate gradients are released during
/// the backward walk unless `retainsIntermediateGradients` is set; gradients of
/// leaves and of the backward output are always kept for `gradient(_:)`.
/// Backward closures are not themselves recorded; second derivatives come from forward mode
/// instead: an op may also carry a forward rule (JVP), and `tangents(seeds:)` records the tangent
/// of every later node as ordinary differentiable ops (`Tape+Tangents.swift`), so a second
/// `backward` differentiates the tangents (reverse over forward).
public final class Tape<T: TensorScalar> {
    public typealias Backward = (_ gradOutput: Tensor<T>) -> [Tensor<T>?]
    /// The forward-mode rule of an op: given its inputs and output (as variables on this tape)
    /// and the tangents of its inputs (nil: zero), returns the output's tangent
    /// `ẏ = Σᵢ (∂y/∂xᵢ) ẋᵢ` recorded with differentiable ops, or nil when it is zero.
    public typealias ForwardRule = (_ inputs: [Variable<T>], _ output: Variable<T>, _ tangents: [Variable<T>?]) -> Variable<T>?

    @usableFromInline
    struct Node {
        @usableFromInline var value: Tensor<T>
        @usableFromInline var inputs: [Int]
        @usableFromInline var backward: Backward?
        @usableFromInline var requiresGrad: Bool
        @usableFromInline var isLeaf: Bool
        @usableFromInline var parameterOffset: Int?
        @usableFromInline var forward: ForwardRule? = nil
    }

    public let store: ParameterStore<T>?
    /// Whether `parameter(_:)` leaves require a gradient (default true). False records parameters
    /// as constants, for passes that only need gradients with respect to inputs (forces).
    public let parametersRequireGradient: Bool
    /// Keep the gradient of every node after `backward` (default: leaves only).
    public var retainsIntermediateGradients: Bool
    @usableFromInline var nodes: [Node] = []
    @usableFromInline var grads: [Tensor<T>?] = []
    private var parameterNodes: [Int: Int] = [:]

    public init(store: ParameterStore<T>? = nil, retainsIntermediateGradients: Bool = false,
                parametersRequireGradient: Bool = true) {
        self.store = store
        self.parametersRequireGradient = parametersRequireGradient
        self.retainsIntermediateGradients = retainsIntermediateGradients
    }

    /// Number of recorded nodes.
    public var nodeCount: Int { nodes.count }

    @inlinable
    func requiresGrad(_ id: Int) -> Bool { nodes[id].requiresGrad }

    @usableFromInline
    func appendNode(_ node: Node) -> Variable<T> {
        let id = nodes.count
        nodes.append(node)
        return Variable(tape: self, id: id, value: node.value)
    }

    /// A leaf without gradient.
    public func constant(_ t: Tensor<T>) -> Variable<T> {
        appendNode(Node(value: t, inputs: [], backward: nil, requiresGrad: false, isLeaf: true, parameterOffset: nil))
    }

    /// A leaf whose gradient is available through `gradient(_:)` after `backward`.
    public func variable(_ t: Tensor<T>) -> Variable<T> {
        appendNode(Node(value: t, inputs: [], backward: nil, requiresGrad: true, isLeaf: true, parameterOffset: nil))
    }

    /// The leaf for a parameter of `store` (its current value). Asking twice for
    /// the same parameter returns the same node. On `backward` its gradient is
    /// added into `store.grads[p.offset ..< p.offset + p.count]`.
    public func parameter(_ p: Parameter) -> Variable<T> {
        guard let store else { requirementFailure("Tape.parameter(\(p.name)) on a tape without a store") }
        if let id = parameterNodes[p.offset] { return Variable(tape: self, id: id, value: nodes[id].value) }
        let v = appendNode(Node(value: store.value(p), inputs: [], backward: nil, requiresGrad: parametersRequireGradient,
                                isLeaf: true, parameterOffset: parametersRequireGradient ? p.offset : nil))
        parameterNodes[p.offset] = v.id
        return v
    }

    /// Records an op computed outside the tape (hand-written kernels).
    /// `backward(gradOutput)` must return one gradient per input, with the
    /// input's shape, or nil for "no gradient / zero". It is only called when
    /// some input requires a gradient; it may skip inputs that do not
    /// (`input.requiresGrad == false`). `forward` is the op's forward-mode rule (kept even when
    /// no input requires a gradient: tangents may flow through constants); ops without one stop
    /// `tangents(seeds:)` with a message when a tangent reaches them.
    public func custom(value: Tensor<T>, inputs: [Variable<T>], forward: ForwardRule? = nil,
                       backward: @escaping Backward) -> Variable<T> {
        var needs = false
        var ids = [Int]()
        ids.reserveCapacity(inputs.count)
        for v in inputs {
            require(v.tape === self, "op mixes variables of different tapes")
            ids.append(v.id)
            needs = needs || nodes[v.id].requiresGrad
        }
        return appendNode(Node(value: value, inputs: ids, backward: needs ? backward : nil,
                               requiresGrad: needs, isLeaf: false, parameterOffset: nil, forward: forward))
    }

    /// Back-propagates from a scalar (count 1) `loss`, seeding ∂L/∂L = 1.
    public func backward(_ loss: Variable<T>) {
        require(loss.count == 1, "backward(loss) needs a scalar loss, got shape \(loss.shape); use backward(_:seed:)")
        backward(loss, seed: Tensor(repeating: 1, shape: loss.shape))
    }

    /// Back-propagates from `output` with the given ∂L/∂output (same shape).
    /// Calling it again recomputes all gradients (parameter gradients are added again).
    public func backward(_ output: Variable<T>, seed: Tensor<T>) {
        require(output.tape === self, "backward of a variable from another tape")
        require(seed.shape == output.shape, "seed shape \(seed.shape) for output shape \(output.shape)")
        grads = [Tensor<T>?](repeating: nil, count: nodes.count)
        grads[output.id] = seed
        var i = output.id
        while i >= 0 {
            defer { i -= 1 }
            guard let g = grads[i] else { continue }
            let node = nodes[i]
            if let offset = node.parameterOffset { store?.accumulateGrad(offset: offset, g) }
            guard let bw = node.backward else { continue }
            if !retainsIntermediateGradients && !node.isLeaf && i != output.id { grads[i] = nil }
            let inputGrads = bw(g)
            require(inputGrads.count == node.inputs.count,
                        "backward of node \(i) returned \(inputGrads.count) gradients for \(node.inputs.count) inputs")
            for (j, gj) in zip(node.inputs, inputGrads) {
                guard let gj, nodes[j].requiresGrad else { continue }
                require(gj.count == nodes[j].value.count,
                            "backward of node \(i): gradient shape \(gj.shape) for input shape \(nodes[j].value.shape)")
                if grads[j] == nil {
                    grads[j] = gj.shape == nodes[j].value.shape ? gj : gj.reshaped(nodes[j].value.shape)
                } else {
                    grads[j]!.addInPlace(gj)
                }
            }
        }
    }

    /// ∂L/∂v after `backward` (nil when `v` does not influence the output,
    /// is a constant, or is an intermediate whose gradient was released).
    public func gradient(_ v: Variable<T>) -> Tensor<T>? {
        require(v.tape === self, "gradient of a variable from another tape")
        return v.id < grads.count ? grads[v.id] : nil
    }
}
