import SE3Core
import SE3Math
import SE3Tensor

extension EdgeFrameMessages {
    /// Sizes and row offsets. Per edge, a convolution's first-layer outputs `u` are stored as one
    /// row of `uWidth` values: `m = 0` (`hidden`), then per `m > 0` `W₁ x̃_{+m}` and `W₁ x̃_{−m}`
    /// (`2·hidden` each, real then imaginary columns); gates likewise, `gWidth` values: `m = 0`
    /// (`hidden`), then `2·hidden` per `m > 0`.
    struct Plan {
        let N: Int, E: Int, L: Int, mmax: Int, M: Int, R: Int, C: Int, hidden: Int, Ce: Int, bs: Int, P: Int, chunk: Int
        let layout: EdgeFrameLayout
        /// Per `m`: rows `L − m + 1`, first frame row of `+m` and of `−m`, offsets in the `u` and gate rows.
        let count: [Int], plus: [Int], minus: [Int], uOffset: [Int], gOffset: [Int]
        let uWidth: Int, gWidth: Int
        /// Whether the input holds only `l = 0` (then only `m = 0` is computed: `top = 0`, and the
        /// first layer reads one row); else `top = mmax`.
        let scalarInput: Bool, top: Int
        /// Whether `ỹ` is kept for the backward pass (when it is no larger than one convolution's
        /// `u`), or recomputed there from `u` (the second layers' GEMMs).
        let storeY: Bool

        init(_ op: EdgeFrameMessages, nodes: Int, edges: Int, scalarInput: Bool) {
            let lay = op.layout, l = lay.lmax, mm = lay.mmax, hd = op.source.hidden
            layout = lay
            N = nodes; E = edges; L = l; mmax = mm; M = (l + 1) * (l + 1); R = lay.count
            C = op.source.channelsIn; hidden = hd; Ce = op.source.edgeChannels
            bs = WignerD.blockSize(lmax: l); P = op.grid.points; chunk = op.chunk
            count = (0...mm).map { l - $0 + 1 }
            plus = (0...mm).map { lay.rows(m: $0).lowerBound }
            minus = (0...mm).map { lay.rows(m: -$0).lowerBound }
            uOffset = (0...mm).map { $0 == 0 ? 0 : hd + ($0 - 1) * 4 * hd }
            gOffset = (0...mm).map { $0 == 0 ? 0 : hd + ($0 - 1) * 2 * hd }
            uWidth = scalarInput ? hd : hd + 4 * hd * mm          // a scalar input stores and gates m = 0 only
            gWidth = scalarInput ? hd : hd + 2 * hd * mm
            self.scalarInput = scalarInput
            top = scalarInput ? 0 : mm
            storeY = R * C <= uWidth
        }

        /// Rows of the frame the first layer of order `m` reads (all `L − m + 1`, or the `l = 0` row).
        func inputRows(_ m: Int) -> Int { scalarInput ? 1 : count[m] }

        /// Gate width of order `m`.
        func width(_ m: Int) -> Int { m == 0 ? hidden : 2 * hidden }
    }

    /// Parameter values of both convolutions and the grid matrices, in one allocation.
    final class Weights<T: TensorScalar> {
        let buffer: UnsafeMutableBufferPointer<T>
        /// Offsets: `[conv][m]` of `w1`, `w2`, `edge.w`, `edge.b`.
        let w1: [[Int]], w2: [[Int]], we: [[Int]], be: [[Int]]
        let to: Int, from: Int
        /// The parameters' shapes, in the op's input order.
        let shapes: [[Int]]

        init(plan: Plan, values: [[T]], shapes: [[Int]], grid: SphereGrid) {
            let total = values.reduce(0) { $0 + $1.count } + 2 * grid.toGrid.count
            buffer = .allocate(capacity: total)
            var offsets: [Int] = [], o = 0
            for v in values {
                offsets.append(o)
                for (i, s) in v.enumerated() { buffer[o + i] = s }
                o += v.count
            }
            to = o
            for (i, s) in grid.toGrid.enumerated() { buffer[o + i] = T(s) }
            o += grid.toGrid.count
            from = o
            for (i, s) in grid.fromGrid.enumerated() { buffer[o + i] = T(s) }
            let per = 4 * (plan.mmax + 1)
            func pick(_ k: Int) -> [[Int]] { (0..<2).map { c in (0...plan.mmax).map { m in offsets[c * per + 4 * m + k] } } }
            w1 = pick(0); w2 = pick(1); we = pick(2); be = pick(3)
            self.shapes = shapes
        }

        deinit { buffer.deallocate() }

        var base: UnsafeMutablePointer<T> { buffer.baseAddress! }
    }

    /// What the backward pass keeps: per convolution `u` `[E, uWidth]`, and `ỹ` `[E, R, C]` if `storeY`.
    final class Stored<T: TensorScalar> {
        let u: [UnsafeMutablePointer<T>]
        let y: UnsafeMutablePointer<T>

        init(plan: Plan) {
            u = (0..<2).map { _ in .allocate(capacity: max(1, plan.E * plan.uWidth)) }
            y = .allocate(capacity: plan.storeY ? max(1, plan.E * plan.R * plan.C) : 1)
        }

        deinit {
            for p in u { p.deallocate() }
            y.deallocate()
        }
    }

    /// Per-chunk temporaries.
    final class Workspace<T: TensorScalar> {
        let size: [String: Int]
        private var buffers: [String: UnsafeMutablePointer<T>] = [:]

        init(plan: Plan) {
            let n = plan.chunk, frame = n * plan.R * plan.C, grid = n * plan.P * plan.C
            size = ["xs": frame, "xt": frame, "y": frame, "yT": frame, "zT": frame, "grid": grid, "act": grid,
                    "dxs": frame, "dxt": frame, "dy": frame, "dzT": frame, "dgrid": grid,
                    "a": n * plan.gWidth, "g": n * plan.gWidth, "dg": n * plan.gWidth,
                    "a1": n * plan.gWidth, "g1": n * plan.gWidth,
                    "v": n * plan.uWidth, "v1": n * plan.uWidth, "dv": n * plan.uWidth, "du": n * plan.uWidth]
        }

        /// The buffer `name` (allocated on first use).
        subscript(_ name: String) -> UnsafeMutablePointer<T> {
            if let b = buffers[name] { return b }
            let b = UnsafeMutablePointer<T>.allocate(capacity: max(1, size[name]!))
            buffers[name] = b
            return b
        }

        deinit { for b in buffers.values { b.deallocate() } }
    }

    /// `a = h W_e / √C_edge + b`, `g = k·SiLU(a)` for the edges of a chunk, every order.
    static func gates<T: TensorScalar>(_ plan: Plan, _ w: Weights<T>, conv: Int, h: UnsafePointer<T>, n: Int,
                                       a: UnsafeMutablePointer<T>, g: UnsafeMutablePointer<T>) {
        let k = T(ActivationNormalization.silu), gW = plan.gWidth
        for m in 0...plan.top {
            let width = plan.width(m), ao = a + plan.gOffset[m], b = w.base + w.be[conv][m]
            T.gemm(transposeA: false, transposeB: false, m: n, n: width, k: plan.Ce, alpha: 1 / T(plan.Ce).squareRoot(),
                   a: h, lda: plan.Ce, b: w.base + w.we[conv][m], ldb: width, beta: 0, c: ao, ldc: gW)
            for e in 0..<n { let r = ao + e * gW; for j in 0..<width { r[j] += b[j] } }
        }
        VectorMath.silu(a, count: n * gW, scale: k, into: g)
    }

    /// `v` from `u` and the gates (eq. 16): `m = 0`: `u ⊙ g`; `m > 0`:
    /// `v₊ = [e_r ⊙ u₊ʳ, −e_i ⊙ u₋ⁱ]`, `v₋ = [e_r ⊙ u₋ʳ, e_i ⊙ u₊ⁱ]`.
    static func products<T: TensorScalar>(_ plan: Plan, u: UnsafePointer<T>, g: UnsafePointer<T>, n: Int,
                                          into v: UnsafeMutablePointer<T>) {
        let h = plan.hidden, uW = plan.uWidth, gW = plan.gWidth
        for e in 0..<n {
            let ue = u + e * uW, ge = g + e * gW, ve = v + e * uW
            for j in 0..<h { ve[j] = ue[j] * ge[j] }
            for m in stride(from: 1, through: plan.top, by: 1) {
                let up = ue + plan.uOffset[m], um = up + 2 * h, vp = ve + plan.uOffset[m], vm = vp + 2 * h
                let gr = ge + plan.gOffset[m], gi = gr + h
                for j in 0..<h {
                    vp[j] = up[j] * gr[j]; vp[h + j] = -um[h + j] * gi[j]
                    vm[j] = um[j] * gr[j]; vm[h + j] = up[h + j] * gi[j]
                }
            }
        }
    }

    /// `ỹ += Σ_m v_m W₂ᵐ / √hidden` (`+m` and `−m` rows) for one convolution of a chunk.
    static func secondLayers<T: TensorScalar>(_ plan: Plan, _ w: Weights<T>, conv: Int, v: UnsafePointer<T>, n: Int,
                                              into y: UnsafeMutablePointer<T>) {
        let C = plan.C, RC = plan.R * C, uW = plan.uWidth, s2 = 1 / T(plan.hidden).squareRoot()
        for m in 0...plan.top {
            let K = plan.count[m] * C, w2 = w.base + w.w2[conv][m], width = plan.width(m), vo = v + plan.uOffset[m]
            T.gemm(transposeA: false, transposeB: false, m: n, n: K, k: width, alpha: s2, a: vo, lda: uW, b: w2, ldb: K,
                   beta: 1, c: y + plan.plus[m] * C, ldc: RC)
            if m > 0 {
                T.gemm(transposeA: false, transposeB: false, m: n, n: K, k: width, alpha: s2, a: vo + width, lda: uW, b: w2,
                       ldb: K, beta: 1, c: y + plan.minus[m] * C, ldc: RC)
            }
        }
    }

    /// Both ends' features in the edge frames (`[n, R, C]`); for a scalar input only the `l = 0`
    /// row, which no rotation changes.
    static func rotateInputs<T: TensorScalar>(_ plan: Plan, x: UnsafePointer<T>, d: UnsafePointer<T>, sources: UnsafePointer<Int32>,
                                              destinations: UnsafePointer<Int32>, edges: Range<Int>, xs: UnsafeMutablePointer<T>,
                                              xt: UnsafeMutablePointer<T>) {
        let C = plan.C, RC = plan.R * C
        guard !plan.scalarInput else {
            for e in edges {
                (xs + (e - edges.lowerBound) * RC).update(from: x + Int(sources[e]) * plan.M * C, count: C)
                (xt + (e - edges.lowerBound) * RC).update(from: x + Int(destinations[e]) * plan.M * C, count: C)
            }
            return
        }
        let frame = EdgeFrames.EdgeSide(edgeStride: RC, rowStride: C)
        EdgeFrames.gather(x, d, rows: sources, edges: edges, layout: plan.layout, channels: C, scale: 1, into: xs, side: frame)
        EdgeFrames.gather(x, d, rows: destinations, edges: edges, layout: plan.layout, channels: C, scale: 1, into: xt, side: frame)
    }

    /// `[n, R, C]` ↔ `[R, n, C]`.
    @inline(__always)
    static func transpose<T>(_ a: UnsafePointer<T>, rows R: Int, edges n: Int, channels C: Int, into b: UnsafeMutablePointer<T>,
                             toRowMajor: Bool) {
        for e in 0..<n {
            for r in 0..<R {
                let src = toRowMajor ? a + (r * n + e) * C : a + (e * R + r) * C
                let dst = toRowMajor ? b + (e * R + r) * C : b + (r * n + e) * C
                dst.update(from: src, count: C)
            }
        }
    }

    func forward<T: TensorScalar>(_ plan: Plan, _ w: Weights<T>, edges: Range<Int>, x: UnsafePointer<T>, d: UnsafePointer<T>,
                                  h: UnsafePointer<T>, sources: UnsafePointer<Int32>, destinations: UnsafePointer<Int32>,
                                  scale: T, stored: Stored<T>, work: Workspace<T>, out: UnsafeMutablePointer<T>) {
        let n = edges.count, e0 = edges.lowerBound, RC = plan.R * plan.C, C = plan.C, uW = plan.uWidth
        let xs = work["xs"], xt = work["xt"], a = work["a"], g = work["g"], v = work["v"]
        Self.rotateInputs(plan, x: x, d: d, sources: sources, destinations: destinations, edges: edges, xs: xs, xt: xt)
        let y = plan.storeY ? stored.y + e0 * RC : work["y"]
        y.initialize(repeating: 0, count: n * RC)
        for conv in 0..<2 {
            let X = conv == 0 ? xs : xt, u = stored.u[conv] + e0 * uW
            Self.gates(plan, w, conv: conv, h: h + e0 * plan.Ce, n: n, a: a, g: g)
            for m in 0...plan.top {
                let K = plan.inputRows(m) * C, s1 = 1 / T(plan.count[m] * C).squareRoot(), w1 = w.base + w.w1[conv][m]
                let width = plan.width(m), uo = u + plan.uOffset[m]
                T.gemm(transposeA: false, transposeB: false, m: n, n: width, k: K, alpha: s1, a: X + plan.plus[m] * C, lda: RC,
                       b: w1, ldb: width, beta: 0, c: uo, ldc: uW)
                if m > 0 {
                    T.gemm(transposeA: false, transposeB: false, m: n, n: width, k: K, alpha: s1, a: X + plan.minus[m] * C,
                           lda: RC, b: w1, ldb: width, beta: 0, c: uo + width, ldc: uW)
                }
            }
            Self.products(plan, u: u, g: g, n: n, into: v)
            Self.secondLayers(plan, w, conv: conv, v: v, n: n, into: y)
        }
        // the S² activation on the chunk at once: [P, R] · [R, n·C]
        let yT = work["yT"], grid = work["grid"], zT = work["zT"], nC = n * C, k = T(ActivationNormalization.silu)
        Self.transpose(y, rows: plan.R, edges: n, channels: C, into: yT, toRowMajor: false)
        T.gemm(transposeA: false, transposeB: false, m: plan.P, n: nC, k: plan.R, alpha: 1, a: w.base + w.to, lda: plan.R,
               b: yT, ldb: nC, beta: 0, c: grid, ldc: nC)
        VectorMath.silu(grid, count: plan.P * nC, scale: k, into: grid)
        T.gemm(transposeA: false, transposeB: false, m: plan.R, n: nC, k: plan.P, alpha: 1, a: w.base + w.from, lda: plan.P,
               b: grid, ldb: nC, beta: 0, c: zT, ldc: nC)
        EdgeFrames.scatter(zT, side: EdgeFrames.EdgeSide(edgeStride: C, rowStride: nC), d, rows: destinations, edges: edges,
                           layout: plan.layout, channels: C, scale: scale, into: out)
    }
}
