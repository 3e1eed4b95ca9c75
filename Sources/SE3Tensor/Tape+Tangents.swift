import SE3Core

/// The tangents of a forward-mode pass (`Tape.tangents(seeds:)`): `tangents[v]` is
/// `v̇ = (∂v/∂s) ṡ` summed over the seeds, a variable on the same tape, or nil where it is zero
/// (`v` does not depend on a seed).
public struct Tangents<T: TensorScalar> {
    let byNode: [Int: Variable<T>]

    public subscript(_ v: Variable<T>) -> Variable<T>? { byNode[v.id] }
}

extension Tape {
    /// Forward mode (JVP) over the nodes recorded so far: seeds `(s, ṡ)` set the tangents of some
    /// variables, and every later node whose inputs carry a tangent gets
    /// `ẏ = Σᵢ (∂y/∂xᵢ) ẋᵢ` from its op's forward rule (`custom(value:inputs:forward:backward:)`).
    ///
    /// The tangents are recorded as ordinary ops on this tape, so they are differentiable:
    /// `backward(s)` of a scalar built from them gives, for example, the parameter gradient of a
    /// directional derivative,
    ///
    ///     ∇_θ (u · ∇_x E) = ∇_θ Ė    with ẋ = u   (reverse over forward: the mixed second derivative)
    ///
    /// which is how a force loss on `F = −∇_x E` is differentiated (`docs/forces.md`). Seeds are
    /// recorded as constants. Stops with a message when a tangent reaches an op without a rule.
    public func tangents(seeds: [(Variable<T>, Tensor<T>)]) -> Tangents<T> {
        var map: [Int: Variable<T>] = [:]
        for (v, t) in seeds {
            require(v.tape === self, "tangents: seed from another tape")
            require(t.shape == v.shape, "tangents: seed shape \(t.shape) for variable shape \(v.shape)")
            map[v.id] = constant(t)
        }
        guard let first = seeds.map(\.0.id).min() else { return Tangents(byNode: map) }
        let end = nodes.count
        var i = first + 1
        while i < end {
            defer { i += 1 }
            let node = nodes[i]
            guard !node.inputs.isEmpty, map[i] == nil else { continue }
            let inputTangents = node.inputs.map { map[$0] }
            guard inputTangents.contains(where: { $0 != nil }) else { continue }
            guard let rule = node.forward else {
                requirementFailure("tangents: node \(i) (value shape \(node.value.shape), inputs \(node.inputs.map { nodes[$0].value.shape })) has no forward-mode rule")
            }
            let inputs = node.inputs.map { Variable(tape: self, id: $0, value: nodes[$0].value) }
            let output = Variable(tape: self, id: i, value: node.value)
            if let t = rule(inputs, output, inputTangents) {
                require(t.shape == node.value.shape || t.count == node.value.count,
                        "tangents: rule of node \(i) gave shape \(t.shape) for output shape \(node.value.shape)")
                map[i] = t.shape == node.value.shape ? t : reshape(t, node.value.shape)
            }
        }
        return Tangents(byNode: map)
    }
}

/// The sum of the non-nil terms (nil when all are nil): forward rules add one term per input
/// that carries a tangent.
@inlinable
public func sumOfTangents<T>(_ terms: [Variable<T>?]) -> Variable<T>? {
    var total: Variable<T>? = nil
    for case let t? in terms { total = total.map { add($0, t) } ?? t }
    return total
}
