import SE3Math
import SE3Tensor

/// The three loops behind every edge-frame op, on raw buffers. Node side: `[N, (L+1)², C]`
/// row-major; edge side: element `(e, r, c)` (edge `e` counted from `edges.lowerBound`, frame row
/// `r` of `layout`) at `e · edgeStride + r · rowStride + c` (`[E, R, C]`: `R·C` and `C`;
/// transposed `[R, E, C]`: `C` and `E·C`); rotations `[E, WignerD.blockSize(lmax:)]`.
extension EdgeFrames {
    /// Strides of an edge-side buffer.
    struct EdgeSide {
        let edgeStride: Int
        let rowStride: Int
    }

    /// `edge[e, (l, m)] = s · Σ_j D^l(R_e)[m, j] node[rows[e], l² + l + j]` (`=` or `+=`).
    @inline(__always)
    static func gather<T: TensorScalar>(_ node: UnsafePointer<T>, _ d: UnsafePointer<T>, rows: UnsafePointer<Int32>,
                                        edges: Range<Int>, layout: EdgeFrameLayout, channels C: Int, scale s: T,
                                        into out: UnsafeMutablePointer<T>, side: EdgeSide, accumulate: Bool = false) {
        let M = (layout.lmax + 1) * (layout.lmax + 1), bs = WignerD.blockSize(lmax: layout.lmax)
        let deg = layout.degree, ord = layout.order
        deg.withUnsafeBufferPointer { deg in ord.withUnsafeBufferPointer { ord in
            for e in edges {
                let xr = node + Int(rows[e]) * M * C, dr = d + e * bs, o0 = out + (e - edges.lowerBound) * side.edgeStride
                for r in 0..<deg.count {
                    let l = Int(deg[r]), m = Int(ord[r]), dim = 2 * l + 1
                    let drow = dr + WignerD.offset(l) + (m + l) * dim, o = o0 + r * side.rowStride
                    if !accumulate { for c in 0..<C { o[c] = 0 } }
                    for j in 0..<dim {
                        let w = s * drow[j], xs = xr + (l * l + j) * C
                        for c in 0..<C { o[c] += w * xs[c] }
                    }
                }
            }
        } }
    }

    /// `node[rows[e], l² + l + j] += s · Σ_m D^l(R_e)[m, j] edge[e, (l, m)]` (the transpose of `gather`).
    @inline(__always)
    static func scatter<T: TensorScalar>(_ edge: UnsafePointer<T>, side: EdgeSide, _ d: UnsafePointer<T>,
                                         rows: UnsafePointer<Int32>, edges: Range<Int>, layout: EdgeFrameLayout,
                                         channels C: Int, scale s: T, into node: UnsafeMutablePointer<T>) {
        let M = (layout.lmax + 1) * (layout.lmax + 1), bs = WignerD.blockSize(lmax: layout.lmax)
        let deg = layout.degree, ord = layout.order
        deg.withUnsafeBufferPointer { deg in ord.withUnsafeBufferPointer { ord in
            for e in edges {
                let yr = node + Int(rows[e]) * M * C, dr = d + e * bs, z0 = edge + (e - edges.lowerBound) * side.edgeStride
                for r in 0..<deg.count {
                    let l = Int(deg[r]), m = Int(ord[r]), dim = 2 * l + 1
                    let drow = dr + WignerD.offset(l) + (m + l) * dim, z = z0 + r * side.rowStride
                    for j in 0..<dim {
                        let w = s * drow[j], ys = yr + (l * l + j) * C
                        for c in 0..<C { ys[c] += w * z[c] }
                    }
                }
            }
        } }
    }

    /// `∂D^l(R_e)[m, j] += s · Σ_c edge[e, (l, m), c] · node[rows[e], l² + l + j, c]` (the rotations'
    /// gradient of both `gather` and `scatter`).
    @inline(__always)
    static func rotationGradient<T: TensorScalar>(_ edge: UnsafePointer<T>, side: EdgeSide, _ node: UnsafePointer<T>,
                                                  rows: UnsafePointer<Int32>, edges: Range<Int>, layout: EdgeFrameLayout,
                                                  channels C: Int, scale s: T, into gd: UnsafeMutablePointer<T>) {
        let M = (layout.lmax + 1) * (layout.lmax + 1), bs = WignerD.blockSize(lmax: layout.lmax)
        let deg = layout.degree, ord = layout.order
        deg.withUnsafeBufferPointer { deg in ord.withUnsafeBufferPointer { ord in
            for e in edges {
                let xr = node + Int(rows[e]) * M * C, gr = gd + e * bs, z0 = edge + (e - edges.lowerBound) * side.edgeStride
                for r in 0..<deg.count {
                    let l = Int(deg[r]), m = Int(ord[r]), dim = 2 * l + 1
                    let grow = gr + WignerD.offset(l) + (m + l) * dim, z = z0 + r * side.rowStride
                    for j in 0..<dim {
                        let xs = xr + (l * l + j) * C
                        var acc: T = 0
                        for c in 0..<C { acc += z[c] * xs[c] }
                        grow[j] += s * acc
                    }
                }
            }
        } }
    }
}
