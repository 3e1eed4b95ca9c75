import SE3Core
/// Row gathers and segment reductions (graph message passing).
///
/// Rows are indexed by the first dimension; a "row" is the block of
/// `rowLength = count / shape[0]` scalars behind it. Indices may be `[Int]` or
/// `[Int32]` (any `BinaryInteger`), may repeat, and must lie in range (checked).
///   gatherRows(a [n, …], idx [k])           y[r] = a[idx[r]]                → [k, …]
///   scatterAddRows(a [k, …], idx [k], n)    y[i] = Σ_{r: idx[r]=i} a[r]    → [n, …]
///   segmentMean(a [k, …], seg [k], n)       y[i] = y_sum[i] / max(1, |{r: seg[r]=i}|)
/// gatherRows and scatterAddRows are each other's adjoint, which is their backward.

@usableFromInline
func checkIndices<I: BinaryInteger>(_ idx: [I], bound: Int, op: String) {
    idx.withUnsafeBufferPointer { p in
        for (r, i) in p.enumerated() where i < 0 || i >= bound {
            requirementFailure("\(op): index \(i) at position \(r) out of range 0..<\(bound)")
        }
    }
}

/// y[r] = a[idx[r]] for rows of `inner` scalars (indices already checked).
@inlinable
func gatherRowsKernel<T, I: BinaryInteger>(_ a: Tensor<T>, _ idx: [I], inner: Int) -> Tensor<T> {
    var shape = a.shape
    shape[0] = idx.count
    var out = Tensor<T>(zeros: shape)
    a.scalars.withUnsafeBufferPointer { pa in
        idx.withUnsafeBufferPointer { pi in
            out.scalars.withUnsafeMutableBufferPointer { po in
                for r in 0..<pi.count {
                    let src = Int(truncatingIfNeeded: pi[r]) * inner, dst = r * inner
                    for j in 0..<inner { po[dst + j] = pa[src + j] }
                }
            }
        }
    }
    return out
}

/// y[idx[r]] += a[r] into `count` rows of `inner` scalars (indices already checked).
@inlinable
func scatterAddRowsKernel<T, I: BinaryInteger>(_ a: Tensor<T>, _ idx: [I], count: Int, inner: Int) -> Tensor<T> {
    var shape = a.shape
    shape[0] = count
    var out = Tensor<T>(zeros: shape)
    a.scalars.withUnsafeBufferPointer { pa in
        idx.withUnsafeBufferPointer { pi in
            out.scalars.withUnsafeMutableBufferPointer { po in
                for r in 0..<pi.count {
                    let dst = Int(truncatingIfNeeded: pi[r]) * inner, src = r * inner
                    for j in 0..<inner { po[dst + j] += pa[src + j] }
                }
            }
        }
    }
    return out
}

/// Rows `a[indices[r]]` stacked: `[n, …] → [k, …]`.
@inlinable
public func gatherRows<T, I: BinaryInteger>(_ a: Variable<T>, indices: [I]) -> Variable<T> {
    require(a.rank >= 1, "gatherRows needs rank ≥ 1, got \(a.shape)")
    let n = a.shape[0], inner = a.value.rowLength
    checkIndices(indices, bound: n, op: "gatherRows")
    return a.tape.custom(value: gatherRowsKernel(a.value, indices, inner: inner), inputs: [a],
                         forward: { _, _, t in t[0].map { gatherRows($0, indices: indices) } }) { g in
        [scatterAddRowsKernel(g, indices, count: n, inner: inner)]
    }
}

/// Segment sum: row r of `a` is added into row `indices[r]` of a `[count, …]` result.
@inlinable
public func scatterAddRows<T, I: BinaryInteger>(_ a: Variable<T>, indices: [I], count: Int) -> Variable<T> {
    require(a.rank >= 1 && a.shape[0] == indices.count,
                "scatterAddRows: \(indices.count) indices for shape \(a.shape)")
    require(count >= 0, "scatterAddRows: negative count \(count)")
    let inner = a.value.rowLength
    checkIndices(indices, bound: count, op: "scatterAddRows")
    return a.tape.custom(value: scatterAddRowsKernel(a.value, indices, count: count, inner: inner), inputs: [a],
                         forward: { _, _, t in t[0].map { scatterAddRows($0, indices: indices, count: count) } }) { g in
        [gatherRowsKernel(g, indices, inner: inner)]
    }
}

/// Same as `scatterAddRows` (segment sum over rows grouped by `segments`).
@inlinable
public func segmentSum<T, I: BinaryInteger>(_ a: Variable<T>, segments: [I], count: Int) -> Variable<T> {
    scatterAddRows(a, indices: segments, count: count)
}

/// Segment mean over rows (empty segments give zeros).
@inlinable
public func segmentMean<T, I: BinaryInteger>(_ a: Variable<T>, segments: [I], count: Int) -> Variable<T> {
    let summed = scatterAddRows(a, indices: segments, count: count)
    var sizes = [T](repeating: 0, count: count)
    for s in segments { sizes[Int(truncatingIfNeeded: s)] += 1 }
    let inv = Tensor(shape: [count], scalars: sizes.map { 1 / Swift.max(1, $0) })
    return mulColumn(summed, a.tape.constant(inv))
}

/// Segment maximum per column: `y[s, j] = max_{r: seg(r) = s} a[r, j]` (`[count, …]`; 0 for an
/// empty segment). Backward: the gradient of `y[s, j]` goes to the row that attains the maximum
/// (the first such row on ties).
@inlinable
public func segmentMax<T, I: BinaryInteger>(_ a: Variable<T>, segments: [I], count: Int) -> Variable<T> {
    require(a.rank >= 1 && a.shape[0] == segments.count, "segmentMax: \(segments.count) segment ids for shape \(a.shape)")
    require(count >= 0, "segmentMax: negative count \(count)")
    checkIndices(segments, bound: count, op: "segmentMax")
    let inner = a.value.rowLength, rows = segments.count
    var shape = a.shape
    shape[0] = count
    var y = Tensor<T>(zeros: shape)
    var arg = [Int](repeating: -1, count: count * inner)
    a.value.scalars.withUnsafeBufferPointer { pa in
        y.scalars.withUnsafeMutableBufferPointer { py in
            for r in 0..<rows {
                let s = Int(truncatingIfNeeded: segments[r]) * inner
                for j in 0..<inner where arg[s + j] < 0 || pa[r * inner + j] > py[s + j] {
                    py[s + j] = pa[r * inner + j]
                    arg[s + j] = r
                }
            }
        }
    }
    let inShape = a.shape
    return a.tape.custom(value: y, inputs: [a]) { g in
        var gx = Tensor<T>(zeros: inShape)
        for i in 0..<(count * inner) where arg[i] >= 0 { gx.scalars[arg[i] * inner + i % inner] += g.scalars[i] }
        return [gx]
    }
}
