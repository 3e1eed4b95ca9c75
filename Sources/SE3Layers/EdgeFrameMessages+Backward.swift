import SE3Core
import SE3Math
import SE3Tensor

extension EdgeFrameMessages {
    /// Gradients for `[x, rotations, edge] + parameters`: per chunk, the rotations and gates are
    /// recomputed, the grid values from the stored `ỹ`, and the SO(2) products from the stored `u`.
    func backward<T: TensorScalar>(_ plan: Plan, _ w: Weights<T>, stored: Stored<T>, gradient gm: Tensor<T>, x: Tensor<T>,
                                   d: Tensor<T>, h: Tensor<T>, sources: [Int32], destinations: [Int32], scale: T,
                                   needX: Bool, needD: Bool, needH: Bool) -> [Tensor<T>?] {
        func buffer(_ count: Int, _ need: Bool) -> UnsafeMutablePointer<T>? {
            guard need else { return nil }
            let b = UnsafeMutablePointer<T>.allocate(capacity: max(1, count))
            b.initialize(repeating: 0, count: max(1, count))
            return b
        }
        let gx = buffer(plan.N * plan.M * plan.C, needX), gd = buffer(plan.E * plan.bs, needD), gh = buffer(plan.E * plan.Ce, needH)
        defer { for b in [gx, gd, gh] { b?.deallocate() } }
        let grads = Weights<T>(plan: plan, values: w.shapes.map { [T](repeating: 0, count: $0.reduce(1, *)) }, shapes: w.shapes,
                               grid: grid)
        let work = Workspace<T>(plan: plan)
        gm.scalars.withUnsafeBufferPointer { pg in x.scalars.withUnsafeBufferPointer { px in
        d.scalars.withUnsafeBufferPointer { pd in h.scalars.withUnsafeBufferPointer { ph in
        sources.withUnsafeBufferPointer { ps in destinations.withUnsafeBufferPointer { pt in
            var e0 = 0
            while e0 < plan.E {
                let edges = e0..<min(plan.E, e0 + plan.chunk)
                chunkBackward(plan, w, grads, stored: stored, work: work, edges: edges, gm: pg.baseAddress!, x: px.baseAddress!,
                              d: pd.baseAddress!, h: ph.baseAddress!, sources: ps.baseAddress!, destinations: pt.baseAddress!,
                              scale: scale, gx: gx, gd: gd, gh: gh)
                e0 = edges.upperBound
            }
        } } } } } }
        func tensor(_ b: UnsafeMutablePointer<T>?, _ shape: [Int]) -> Tensor<T>? {
            b.map { Tensor(shape: shape, scalars: Array(UnsafeBufferPointer(start: $0, count: shape.reduce(1, *)))) }
        }
        var out: [Tensor<T>?] = [tensor(gx, [plan.N, plan.M, plan.C]), tensor(gd, [plan.E, plan.bs]), tensor(gh, [plan.E, plan.Ce])]
        var o = 0
        for shape in w.shapes {
            out.append(tensor(grads.base + o, shape))
            o += shape.reduce(1, *)
        }
        return out
    }

    private func chunkBackward<T: TensorScalar>(_ plan: Plan, _ w: Weights<T>, _ dw: Weights<T>, stored: Stored<T>,
                                                work: Workspace<T>, edges: Range<Int>, gm: UnsafePointer<T>, x: UnsafePointer<T>,
                                                d: UnsafePointer<T>, h: UnsafePointer<T>, sources: UnsafePointer<Int32>,
                                                destinations: UnsafePointer<Int32>, scale: T, gx: UnsafeMutablePointer<T>?,
                                                gd: UnsafeMutablePointer<T>?, gh: UnsafeMutablePointer<T>?) {
        let n = edges.count, e0 = edges.lowerBound, R = plan.R, C = plan.C, RC = R * C, nC = n * C, P = plan.P
        let hd = plan.hidden, uW = plan.uWidth, gW = plan.gWidth, Ce = plan.Ce, k = T(ActivationNormalization.silu)
        let frame = EdgeFrames.EdgeSide(edgeStride: RC, rowStride: C), transposed = EdgeFrames.EdgeSide(edgeStride: C, rowStride: nC)
        let xs = work["xs"], xt = work["xt"], dxs = work["dxs"], dxt = work["dxt"], dy = work["dy"]
        Self.rotateInputs(plan, x: x, d: d, sources: sources, destinations: destinations, edges: edges, xs: xs, xt: xt)
        // back through the rotation back and the S² activation
        let dzT = work["dzT"], yT = work["yT"], grid = work["grid"], dgrid = work["dgrid"]
        EdgeFrames.gather(gm, d, rows: destinations, edges: edges, layout: plan.layout, channels: C, scale: scale, into: dzT,
                          side: transposed)
        // the gates and products of both convolutions (and ỹ from them unless it was kept)
        let gates = [(work["a"], work["g"], work["v"]), (work["a1"], work["g1"], work["v1"])]
        for conv in 0..<2 {
            Self.gates(plan, w, conv: conv, h: h + e0 * Ce, n: n, a: gates[conv].0, g: gates[conv].1)
            Self.products(plan, u: stored.u[conv] + e0 * uW, g: gates[conv].1, n: n, into: gates[conv].2)
        }
        var y = stored.y + e0 * RC
        if !plan.storeY {
            y = work["y"]
            y.initialize(repeating: 0, count: n * RC)
            for conv in 0..<2 { Self.secondLayers(plan, w, conv: conv, v: gates[conv].2, n: n, into: y) }
        }
        Self.transpose(y, rows: R, edges: n, channels: C, into: yT, toRowMajor: false)
        T.gemm(transposeA: false, transposeB: false, m: P, n: nC, k: R, alpha: 1, a: w.base + w.to, lda: R, b: yT, ldb: nC,
               beta: 0, c: grid, ldc: nC)
        T.gemm(transposeA: true, transposeB: false, m: P, n: nC, k: R, alpha: 1, a: w.base + w.from, lda: P, b: dzT, ldb: nC,
               beta: 0, c: dgrid, ldc: nC)
        if let gd {
            let act = work["act"], zT = work["zT"]
            VectorMath.silu(grid, count: P * nC, scale: k, into: act)
            T.gemm(transposeA: false, transposeB: false, m: R, n: nC, k: P, alpha: 1, a: w.base + w.from, lda: P, b: act, ldb: nC,
                   beta: 0, c: zT, ldc: nC)
            EdgeFrames.rotationGradient(zT, side: transposed, gm, rows: destinations, edges: edges, layout: plan.layout,
                                        channels: C, scale: scale, into: gd)
        }
        VectorMath.siluGradient(grid, count: P * nC, scale: k, multiplying: dgrid)
        T.gemm(transposeA: true, transposeB: false, m: R, n: nC, k: P, alpha: 1, a: w.base + w.to, lda: R, b: dgrid, ldb: nC,
               beta: 0, c: yT, ldc: nC)
        Self.transpose(yT, rows: R, edges: n, channels: C, into: dy, toRowMajor: true)
        // back through the two convolutions
        let dg = work["dg"], dv = work["dv"], du = work["du"]
        for conv in 0..<2 {
            let X = conv == 0 ? xs : xt, dX = conv == 0 ? dxs : dxt, u = stored.u[conv] + e0 * uW
            let (a, g, v) = gates[conv]
            dX.initialize(repeating: 0, count: n * RC)
            dg.initialize(repeating: 0, count: n * gW)
            for m in 0...plan.top {
                let K = plan.count[m] * C, s2 = 1 / T(hd).squareRoot(), width = plan.width(m), o = plan.uOffset[m]
                let w2 = w.base + w.w2[conv][m], dw2 = dw.base + dw.w2[conv][m]
                for (row, off) in m == 0 ? [(plan.plus[0], 0)] : [(plan.plus[m], 0), (plan.minus[m], width)] {
                    // ∂v = ∂y W₂ᵀ, ∂W₂ += vᵀ ∂y
                    T.gemm(transposeA: false, transposeB: true, m: n, n: width, k: K, alpha: s2, a: dy + row * C, lda: RC,
                           b: w2, ldb: K, beta: 0, c: dv + o + off, ldc: uW)
                    T.gemm(transposeA: true, transposeB: false, m: width, n: K, k: n, alpha: s2, a: v + o + off, lda: uW,
                           b: dy + row * C, ldb: RC, beta: 1, c: dw2, ldc: K)
                }
            }
            Self.productGradients(plan, u: u, g: g, dv: dv, n: n, du: du, dg: dg)
            for m in 0...plan.top {
                let K = plan.inputRows(m) * C, s1 = 1 / T(plan.count[m] * C).squareRoot(), width = plan.width(m)
                let o = plan.uOffset[m]
                let w1 = w.base + w.w1[conv][m], dw1 = dw.base + dw.w1[conv][m]
                for (row, off) in m == 0 ? [(plan.plus[0], 0)] : [(plan.plus[m], 0), (plan.minus[m], width)] {
                    // ∂W₁ += x̃ᵀ ∂u, ∂x̃ += ∂u W₁ᵀ
                    T.gemm(transposeA: true, transposeB: false, m: K, n: width, k: n, alpha: s1, a: X + row * C, lda: RC,
                           b: du + o + off, ldb: uW, beta: 1, c: dw1, ldc: width)
                    T.gemm(transposeA: false, transposeB: true, m: n, n: K, k: width, alpha: s1, a: du + o + off, lda: uW,
                           b: w1, ldb: width, beta: 1, c: dX + row * C, ldc: RC)
                }
            }
            // the gates: ∂a = ∂g ⊙ act'(a); ∂W_e += hᵀ ∂a, ∂b += Σ ∂a, ∂h += ∂a W_eᵀ
            VectorMath.siluGradient(a, count: n * gW, scale: k, multiplying: dg)
            let se = 1 / T(Ce).squareRoot()
            for m in 0...plan.top {
                let width = plan.width(m), go = dg + plan.gOffset[m], db = dw.base + dw.be[conv][m]
                T.gemm(transposeA: true, transposeB: false, m: Ce, n: width, k: n, alpha: se, a: h + e0 * Ce, lda: Ce, b: go,
                       ldb: gW, beta: 1, c: dw.base + dw.we[conv][m], ldc: width)
                for e in 0..<n { let r = go + e * gW; for j in 0..<width { db[j] += r[j] } }
                if let gh {
                    T.gemm(transposeA: false, transposeB: true, m: n, n: Ce, k: width, alpha: se, a: go, lda: gW,
                           b: w.base + w.we[conv][m], ldb: width, beta: 1, c: gh + e0 * Ce, ldc: Ce)
                }
            }
        }
        // back through the rotations into the frames (a scalar input: only the l = 0 row, no rotation)
        if let gx {
            if plan.scalarInput {
                for e in edges {
                    let i = e - e0
                    for (dX, row) in [(dxs, sources[e]), (dxt, destinations[e])] {
                        let dst = gx + Int(row) * plan.M * C, src = dX + i * RC
                        for c in 0..<C { dst[c] += src[c] }
                    }
                }
            } else {
                EdgeFrames.scatter(dxs, side: frame, d, rows: sources, edges: edges, layout: plan.layout, channels: C, scale: 1,
                                   into: gx)
                EdgeFrames.scatter(dxt, side: frame, d, rows: destinations, edges: edges, layout: plan.layout, channels: C, scale: 1,
                                   into: gx)
            }
        }
        if let gd, !plan.scalarInput {
            EdgeFrames.rotationGradient(dxs, side: frame, x, rows: sources, edges: edges, layout: plan.layout, channels: C,
                                        scale: 1, into: gd)
            EdgeFrames.rotationGradient(dxt, side: frame, x, rows: destinations, edges: edges, layout: plan.layout, channels: C,
                                        scale: 1, into: gd)
        }
    }

    /// The transpose of `products`: `∂u` (overwritten) and `∂g` (accumulated) from `∂v`.
    static func productGradients<T: TensorScalar>(_ plan: Plan, u: UnsafePointer<T>, g: UnsafePointer<T>, dv: UnsafePointer<T>,
                                                  n: Int, du: UnsafeMutablePointer<T>, dg: UnsafeMutablePointer<T>) {
        let h = plan.hidden, uW = plan.uWidth, gW = plan.gWidth
        for e in 0..<n {
            let ue = u + e * uW, ge = g + e * gW, dve = dv + e * uW, due = du + e * uW, dge = dg + e * gW
            for j in 0..<h { due[j] = dve[j] * ge[j]; dge[j] += dve[j] * ue[j] }
            for m in stride(from: 1, through: plan.top, by: 1) {
                let o = plan.uOffset[m], up = ue + o, um = up + 2 * h, dvp = dve + o, dvm = dvp + 2 * h
                let dup = due + o, dum = dup + 2 * h, gr = ge + plan.gOffset[m], gi = gr + h
                let dgr = dge + plan.gOffset[m], dgi = dgr + h
                for j in 0..<h {
                    // v₊ = [e_r u₊ʳ, −e_i u₋ⁱ], v₋ = [e_r u₋ʳ, e_i u₊ⁱ]
                    dup[j] = dvp[j] * gr[j]; dup[h + j] = dvm[h + j] * gi[j]
                    dum[j] = dvm[j] * gr[j]; dum[h + j] = -dvp[h + j] * gi[j]
                    dgr[j] += dvp[j] * up[j] + dvm[j] * um[j]
                    dgi[j] += dvm[h + j] * up[h + j] - dvp[h + j] * um[h + j]
                }
            }
        }
    }
}
