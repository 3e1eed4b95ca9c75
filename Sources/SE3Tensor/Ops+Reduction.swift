import SE3Core
/// Reductions. `sum(a)` and `mean(a)` return a rank-0 scalar (shape `[]`).
/// `sum(a, axis: k)` removes dimension k: with `a` viewed as `[outer, len, inner]`,
/// y[o, i] = Σ_l a[o, l, i]; for rank 2, axis 0 gives column sums `[c]`, axis 1 row sums `[n]`.

/// Σ of all elements (shape `[]`).
@inlinable
public func sum<T>(_ a: Variable<T>) -> Variable<T> {
    let shape = a.shape
    return a.tape.custom(value: Tensor(a.value.sum()), inputs: [a], forward: { _, _, t in t[0].map { sum($0) } }) { g in
        [Tensor(repeating: g.scalars[0], shape: shape)]
    }
}

/// Mean of all elements (shape `[]`; 0 for an empty tensor).
@inlinable
public func mean<T>(_ a: Variable<T>) -> Variable<T> {
    scaled(sum(a), by: 1 / T(max(1, a.count)))
}

@usableFromInline
func axisSplit(_ shape: [Int], _ axis: Int, op: String) -> (outer: Int, len: Int, inner: Int) {
    require(axis >= 0 && axis < shape.count, "\(op): axis \(axis) for shape \(shape)")
    return (shapeCount(Array(shape[..<axis])), shape[axis], shapeCount(Array(shape[(axis + 1)...])))
}

/// Σ over one axis (the axis is removed from the shape).
@inlinable
public func sum<T>(_ a: Variable<T>, axis: Int) -> Variable<T> {
    let (outer, len, inner) = axisSplit(a.shape, axis, op: "sum(axis:)")
    var outShape = a.shape
    outShape.remove(at: axis)
    let inShape = a.shape
    var y = Tensor<T>(zeros: outShape)
    a.value.scalars.withUnsafeBufferPointer { pa in
        y.scalars.withUnsafeMutableBufferPointer { py in
            for o in 0..<outer {
                for l in 0..<len {
                    let src = (o * len + l) * inner, dst = o * inner
                    for i in 0..<inner { py[dst + i] += pa[src + i] }
                }
            }
        }
    }
    return a.tape.custom(value: y, inputs: [a], forward: { _, _, t in t[0].map { sum($0, axis: axis) } }) { g in
        var ga = Tensor<T>(zeros: inShape)
        g.scalars.withUnsafeBufferPointer { pg in
            ga.scalars.withUnsafeMutableBufferPointer { pa in
                for o in 0..<outer {
                    for l in 0..<len {
                        let dst = (o * len + l) * inner, src = o * inner
                        for i in 0..<inner { pa[dst + i] = pg[src + i] }
                    }
                }
            }
        }
        return [ga]
    }
}

/// Mean over one axis (the axis is removed; 0 when the axis is empty).
@inlinable
public func mean<T>(_ a: Variable<T>, axis: Int) -> Variable<T> {
    let len = axisSplit(a.shape, axis, op: "mean(axis:)").len
    return scaled(sum(a, axis: axis), by: 1 / T(max(1, len)))
}
