import SE3Core
/// Shape ops: reshape, 2-D transpose, slicing and concatenation along an axis.
///
/// With a tensor viewed as `[outer, len, inner]` around `axis`,
/// `slice(a, axis:, range:)` keeps `len`-indices in `range` and
/// `concat(xs, axis:)` stacks along `axis` (other dimensions must agree).
/// Rows are axis 0, columns axis 1 (`sliceColumns` also works on `[n, c, …]`).

/// Same scalars, new shape of equal count.
@inlinable
public func reshape<T>(_ a: Variable<T>, _ shape: [Int]) -> Variable<T> {
    let inShape = a.shape
    return a.tape.custom(value: a.value.reshaped(shape), inputs: [a], forward: { _, _, t in t[0].map { reshape($0, shape) } }) { g in
        [g.reshaped(inShape)]
    }
}

/// Transpose of a rank-2 variable.
@inlinable
public func transpose<T>(_ a: Variable<T>) -> Variable<T> {
    a.tape.custom(value: transpose(a.value), inputs: [a], forward: { _, _, t in t[0].map { transpose($0) } }) { g in [transpose(g)] }
}

/// Copies `len`-block `[lo, lo+n)` of every outer index from `src` (axis length `srcLen`)
/// to offset `dstLo` of `dst` (axis length `dstLen`).
@inlinable
func copyAxisBlock<T>(_ src: Tensor<T>, srcLen: Int, srcLo: Int,
                      _ dst: inout Tensor<T>, dstLen: Int, dstLo: Int,
                      n: Int, outer: Int, inner: Int) {
    let w = n * inner
    guard w > 0 else { return }
    src.scalars.withUnsafeBufferPointer { ps in
        dst.scalars.withUnsafeMutableBufferPointer { pd in
            for o in 0..<outer {
                let s = (o * srcLen + srcLo) * inner, d = (o * dstLen + dstLo) * inner
                for j in 0..<w { pd[d + j] = ps[s + j] }
            }
        }
    }
}

/// The sub-tensor with indices `range` along `axis`.
@inlinable
public func slice<T>(_ a: Variable<T>, axis: Int, range: Range<Int>) -> Variable<T> {
    let (outer, len, inner) = axisSplit(a.shape, axis, op: "slice")
    require(range.lowerBound >= 0 && range.upperBound <= len,
                "slice: range \(range) along axis \(axis) of shape \(a.shape)")
    let inShape = a.shape
    var outShape = a.shape
    outShape[axis] = range.count
    var y = Tensor<T>(zeros: outShape)
    copyAxisBlock(a.value, srcLen: len, srcLo: range.lowerBound, &y, dstLen: range.count, dstLo: 0,
                  n: range.count, outer: outer, inner: inner)
    return a.tape.custom(value: y, inputs: [a], forward: { _, _, t in t[0].map { slice($0, axis: axis, range: range) } }) { g in
        var ga = Tensor<T>(zeros: inShape)
        copyAxisBlock(g, srcLen: range.count, srcLo: 0, &ga, dstLen: len, dstLo: range.lowerBound,
                      n: range.count, outer: outer, inner: inner)
        return [ga]
    }
}

/// Concatenation along `axis` (at least one part; other dimensions must agree).
@inlinable
public func concat<T>(_ parts: [Variable<T>], axis: Int) -> Variable<T> {
    require(!parts.isEmpty, "concat of no variables")
    let first = parts[0].shape
    let (outer, _, inner) = axisSplit(first, axis, op: "concat")
    var lens = [Int]()
    for p in parts {
        var s = p.shape
        require(s.count == first.count, "concat: shapes \(first) and \(s)")
        lens.append(s[axis])
        s[axis] = first[axis]
        require(s == first, "concat along axis \(axis): shapes \(first) and \(p.shape)")
    }
    let total = lens.reduce(0, +)
    var outShape = first
    outShape[axis] = total
    var y = Tensor<T>(zeros: outShape)
    var starts = [Int]()
    var lo = 0
    for (p, n) in zip(parts, lens) {
        starts.append(lo)
        copyAxisBlock(p.value, srcLen: n, srcLo: 0, &y, dstLen: total, dstLo: lo, n: n, outer: outer, inner: inner)
        lo += n
    }
    let shapes = parts.map(\.shape)
    let needs = parts.map(\.requiresGrad)
    return parts[0].tape.custom(value: y, inputs: parts, forward: { x, _, t in
        // zeros stand in for the parts without a tangent
        concat(zip(x, t).map { xi, ti in ti ?? xi.tape.constant(Tensor(zeros: xi.shape)) }, axis: axis)
    }) { g in
        (0..<shapes.count).map { i -> Tensor<T>? in
            guard needs[i] else { return nil }
            var gi = Tensor<T>(zeros: shapes[i])
            copyAxisBlock(g, srcLen: total, srcLo: starts[i], &gi, dstLen: lens[i], dstLo: 0,
                          n: lens[i], outer: outer, inner: inner)
            return gi
        }
    }
}

/// Columns `range` (axis 1) of `a` `[n, c, …]` → `[n, range.count, …]`.
@inlinable
public func sliceColumns<T>(_ a: Variable<T>, _ range: Range<Int>) -> Variable<T> {
    slice(a, axis: 1, range: range)
}

/// Rows `range` (axis 0) of `a` `[n, …]` → `[range.count, …]`.
@inlinable
public func sliceRows<T>(_ a: Variable<T>, _ range: Range<Int>) -> Variable<T> {
    slice(a, axis: 0, range: range)
}

/// Concatenation along axis 1: `[n, c_i, …]` → `[n, Σ c_i, …]`.
@inlinable
public func concatColumns<T>(_ parts: [Variable<T>]) -> Variable<T> { concat(parts, axis: 1) }

/// Concatenation along axis 0: `[n_i, …]` → `[Σ n_i, …]`.
@inlinable
public func concatRows<T>(_ parts: [Variable<T>]) -> Variable<T> { concat(parts, axis: 0) }
