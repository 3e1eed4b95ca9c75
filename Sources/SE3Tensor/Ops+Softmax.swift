import SE3Core
import Numerics

/// Softmax over the rows of each segment (attention of a node over its edges).
///
/// `scores` is `[E]` or `[E, H]` (H heads, each normalised separately);
/// `segments[e] ∈ 0..<count` is the segment (e.g. destination node) of row e.
/// For every segment s and head h,
///   y[e, h] = exp(x[e, h] − m[s, h]) / Σ_{e': seg(e') = s} exp(x[e', h] − m[s, h]),
/// with m[s, h] the per-segment maximum (numerical stability). Rows need not be
/// sorted; empty segments are allowed (they own no rows), a singleton gives 1.
/// Backward: ∂x[e, h] = y[e, h] · (g[e, h] − Σ_{e' ∈ s} g[e', h] y[e', h]).
@inlinable
public func segmentSoftmax<T, I: BinaryInteger>(_ scores: Variable<T>, segments: [I], count: Int) -> Variable<T> {
    require((scores.rank == 1 || scores.rank == 2) && scores.shape[0] == segments.count,
                "segmentSoftmax: scores \(scores.shape) with \(segments.count) segment ids")
    require(count >= 0, "segmentSoftmax: negative count \(count)")
    checkIndices(segments, bound: count, op: "segmentSoftmax")
    let e = segments.count, h = scores.value.rowLength
    var y = Tensor<T>(zeros: scores.shape)
    var stat = [T](repeating: -T.infinity, count: count * h)
    scores.value.scalars.withUnsafeBufferPointer { px in
        segments.withUnsafeBufferPointer { ps in
            y.scalars.withUnsafeMutableBufferPointer { py in
                stat.withUnsafeMutableBufferPointer { pm in
                    for r in 0..<e {
                        let s = Int(truncatingIfNeeded: ps[r]) * h
                        for k in 0..<h { pm[s + k] = Swift.max(pm[s + k], px[r * h + k]) }
                    }
                    var total = [T](repeating: 0, count: count * h)
                    total.withUnsafeMutableBufferPointer { pt in
                        for r in 0..<e {
                            let s = Int(truncatingIfNeeded: ps[r]) * h
                            for k in 0..<h {
                                let v = T.exp(px[r * h + k] - pm[s + k])
                                py[r * h + k] = v
                                pt[s + k] += v
                            }
                        }
                        for r in 0..<e {
                            let s = Int(truncatingIfNeeded: ps[r]) * h
                            for k in 0..<h { py[r * h + k] /= pt[s + k] }
                        }
                    }
                }
            }
        }
    }
    let yv = y
    return scores.tape.custom(value: y, inputs: [scores]) { g in
        var dot = [T](repeating: 0, count: count * h)
        var gx = Tensor<T>(zeros: g.shape)
        g.scalars.withUnsafeBufferPointer { pg in
            yv.scalars.withUnsafeBufferPointer { py in
                segments.withUnsafeBufferPointer { ps in
                    dot.withUnsafeMutableBufferPointer { pd in
                        gx.scalars.withUnsafeMutableBufferPointer { px in
                            for r in 0..<e {
                                let s = Int(truncatingIfNeeded: ps[r]) * h
                                for k in 0..<h { pd[s + k] += pg[r * h + k] * py[r * h + k] }
                            }
                            for r in 0..<e {
                                let s = Int(truncatingIfNeeded: ps[r]) * h
                                for k in 0..<h { px[r * h + k] = py[r * h + k] * (pg[r * h + k] - pd[s + k]) }
                            }
                        }
                    }
                }
            }
        }
        return [gx]
    }
}
