import SE3Core
/// Explicit broadcasting over rows and row-blocks.
///
/// Row vectors: `b.shape` (leading 1s ignored) must be a suffix of `a.shape`;
/// with `c = b.count` and `a` viewed as `[a.count / c, c]`,
///   addRowVector:  y[r, j] = a[r, j] + b[j]   (bias)
///   mulRowVector:  y[r, j] = a[r, j] · b[j]
/// Columns: `s.shape` (trailing 1s ignored) must be a prefix of `a.shape`;
/// with `a` viewed as `[s.count, inner]`,
///   mulColumn:     y[r, j] = a[r, j] · s[r]   (e.g. s [n] or [n,1] scales rows;
///                                              s [n,c] gates [n,c,2l+1] features)
///   addColumn:     y[r, j] = a[r, j] + s[r]

@usableFromInline
func rowVectorWidth(_ a: [Int], _ b: [Int], op: String) -> Int {
    let bs = Array(b.drop(while: { $0 == 1 }))
    require(bs.count <= a.count && Array(a.suffix(bs.count)) == bs,
                "\(op): shape \(b) is not a trailing block of \(a)")
    return shapeCount(bs)
}

@usableFromInline
func columnBlock(_ a: [Int], _ s: [Int], op: String) -> Int {
    var ss = s
    while ss.last == 1 { ss.removeLast() }
    require(ss.count <= a.count && Array(a.prefix(ss.count)) == ss,
                "\(op): shape \(s) is not a leading block of \(a)")
    return shapeCount(Array(a.dropFirst(ss.count)))
}

/// out[r·c + j] = f(a[r·c + j], b[j]).
@inlinable
func rowBroadcast<T>(_ a: Tensor<T>, _ b: Tensor<T>, width c: Int, _ f: (T, T) -> T) -> Tensor<T> {
    var out = Tensor<T>(zeros: a.shape)
    guard c > 0 else { return out }
    let rows = a.count / c
    a.scalars.withUnsafeBufferPointer { pa in
        b.scalars.withUnsafeBufferPointer { pb in
            out.scalars.withUnsafeMutableBufferPointer { po in
                for r in 0..<rows {
                    let o = r * c
                    for j in 0..<c { po[o + j] = f(pa[o + j], pb[j]) }
                }
            }
        }
    }
    return out
}

/// out[j] = Σ_r f(a[r·c + j], b[r·c + j]) (column sums), shaped `shape`.
@inlinable
func columnSums<T>(_ a: Tensor<T>, _ b: Tensor<T>?, width c: Int, shape: [Int]) -> Tensor<T> {
    var out = Tensor<T>(zeros: shape)
    guard c > 0 else { return out }
    let rows = a.count / c
    a.scalars.withUnsafeBufferPointer { pa in
        out.scalars.withUnsafeMutableBufferPointer { po in
            if let b {
                b.scalars.withUnsafeBufferPointer { pb in
                    for r in 0..<rows {
                        let o = r * c
                        for j in 0..<c { po[j] += pa[o + j] * pb[o + j] }
                    }
                }
            } else {
                for r in 0..<rows {
                    let o = r * c
                    for j in 0..<c { po[j] += pa[o + j] }
                }
            }
        }
    }
    return out
}

/// out[r·inner + j] = f(a[r·inner + j], s[r]).
@inlinable
func columnBroadcast<T>(_ a: Tensor<T>, _ s: Tensor<T>, inner: Int, _ f: (T, T) -> T) -> Tensor<T> {
    var out = Tensor<T>(zeros: a.shape)
    let rows = s.count
    a.scalars.withUnsafeBufferPointer { pa in
        s.scalars.withUnsafeBufferPointer { ps in
            out.scalars.withUnsafeMutableBufferPointer { po in
                for r in 0..<rows {
                    let o = r * inner, sr = ps[r]
                    for j in 0..<inner { po[o + j] = f(pa[o + j], sr) }
                }
            }
        }
    }
    return out
}

/// out[r] = Σ_j a[r·inner + j] (· b[r·inner + j]), shaped `shape`.
@inlinable
func blockSums<T>(_ a: Tensor<T>, _ b: Tensor<T>?, inner: Int, shape: [Int]) -> Tensor<T> {
    var out = Tensor<T>(zeros: shape)
    let rows = out.count
    a.scalars.withUnsafeBufferPointer { pa in
        out.scalars.withUnsafeMutableBufferPointer { po in
            if let b {
                b.scalars.withUnsafeBufferPointer { pb in
                    for r in 0..<rows {
                        var s: T = 0
                        let o = r * inner
                        for j in 0..<inner { s += pa[o + j] * pb[o + j] }
                        po[r] = s
                    }
                }
            } else {
                for r in 0..<rows {
                    var s: T = 0
                    let o = r * inner
                    for j in 0..<inner { s += pa[o + j] }
                    po[r] = s
                }
            }
        }
    }
    return out
}

/// a + b broadcast over rows (bias add); see the file comment for shapes.
@inlinable
public func addRowVector<T>(_ a: Variable<T>, _ b: Variable<T>) -> Variable<T> {
    let c = rowVectorWidth(a.shape, b.shape, op: "addRowVector")
    let bShape = b.shape
    let needB = b.requiresGrad
    return a.tape.custom(value: rowBroadcast(a.value, b.value, width: c, +), inputs: [a, b], forward: { x, _, t in
        guard let tb = t[1] else { return t[0] }
        return addRowVector(t[0] ?? x[0].tape.constant(Tensor(zeros: x[0].shape)), tb)
    }) { g in
        [g, needB ? columnSums(g, nil, width: c, shape: bShape) : nil]
    }
}

/// a ⊙ b broadcast over rows; see the file comment for shapes.
@inlinable
public func mulRowVector<T>(_ a: Variable<T>, _ b: Variable<T>) -> Variable<T> {
    let c = rowVectorWidth(a.shape, b.shape, op: "mulRowVector")
    let av = a.value, bv = b.value
    let needA = a.requiresGrad, needB = b.requiresGrad
    return a.tape.custom(value: rowBroadcast(av, bv, width: c, *), inputs: [a, b], forward: { x, _, t in
        sumOfTangents([t[0].map { mulRowVector($0, x[1]) }, t[1].map { mulRowVector(x[0], $0) }])
    }) { g in
        [needA ? rowBroadcast(g, bv, width: c, *) : nil,
         needB ? columnSums(g, av, width: c, shape: bv.shape) : nil]
    }
}

/// Scales each row (block) of `a` by the matching scalar of `s`; see the file comment.
@inlinable
public func mulColumn<T>(_ a: Variable<T>, _ s: Variable<T>) -> Variable<T> {
    let inner = columnBlock(a.shape, s.shape, op: "mulColumn")
    let av = a.value, sv = s.value
    let needA = a.requiresGrad, needS = s.requiresGrad
    return a.tape.custom(value: columnBroadcast(av, sv, inner: inner, *), inputs: [a, s], forward: { x, _, t in
        sumOfTangents([t[0].map { mulColumn($0, x[1]) }, t[1].map { mulColumn(x[0], $0) }])
    }) { g in
        [needA ? columnBroadcast(g, sv, inner: inner, *) : nil,
         needS ? blockSums(g, av, inner: inner, shape: sv.shape) : nil]
    }
}

/// Adds to each row (block) of `a` the matching scalar of `s`; see the file comment.
@inlinable
public func addColumn<T>(_ a: Variable<T>, _ s: Variable<T>) -> Variable<T> {
    let inner = columnBlock(a.shape, s.shape, op: "addColumn")
    let sShape = s.shape
    let needS = s.requiresGrad
    return a.tape.custom(value: columnBroadcast(a.value, s.value, inner: inner, +), inputs: [a, s], forward: { x, _, t in
        guard let ts = t[1] else { return t[0] }
        return addColumn(t[0] ?? x[0].tape.constant(Tensor(zeros: x[0].shape)), ts)
    }) { g in
        [g, needS ? blockSums(g, nil, inner: inner, shape: sShape) : nil]
    }
}
