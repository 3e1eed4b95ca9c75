import SE3Tensor

/// Hand-written tensor-product kernels over the non-zero CG entries of a `TensorProductPlan`
/// (see `TensorProductPlan.KernelTables` for the algorithm). Channels are the innermost,
/// contiguous loop; all arrays are row-major in the `SphericalFeatures` layout:
///
///     x   [Nx, M_in, C]   row src[e] (or e when `src` is nil)
///     Y   [E, M_f]
///     w   [E, P, C]  (or [P, C] when shared)
///     out [No, M_out, C]  row dst[e] (or e when `dst` is nil); accumulated (+=)
///
/// `scale` multiplies every output (e.g. `1/√avgNeighbors`) and is folded into the per-edge
/// pair coefficients `K`.
@usableFromInline
struct TensorProductKernel<T: TensorScalar> {
    let groupPath: [Int32]
    let groupOutput: [Int32]
    let groupPairStart: [Int32]
    let pairInput: [Int32]
    let pairTermStart: [Int32]
    let termFilter: [Int32]
    let termCoefficient: [T]
    /// Pair index of term `t` (flat filter fold).
    let termPair: [Int32]
    let mIn: Int, mF: Int, mOut: Int, channels: Int, paths: Int

    init(plan: TensorProductPlan) {
        let k = plan.kernel
        groupPath = k.groupPath; groupOutput = k.groupOutput; groupPairStart = k.groupPairStart
        pairInput = k.pairInput; pairTermStart = k.pairTermStart; termFilter = k.termFilter
        termCoefficient = k.termCoefficient.map { T($0) }
        var tp = [Int32](repeating: 0, count: k.termCount)
        for q in 0..<k.pairCount { for t in Int(k.pairTermStart[q]) ..< Int(k.pairTermStart[q + 1]) { tp[t] = Int32(q) } }
        termPair = tp
        mIn = plan.inputComponents; mF = plan.filterComponents; mOut = plan.outputComponents
        channels = plan.channels; paths = plan.pathCount
    }

    /// Per-edge pair coefficients `K[q] = Σ_t α C_t Y[mf_t]` in one flat pass over the terms
    /// (`tc` already holds `scale · α C`).
    @inline(__always)
    static func foldFilter(pairs: Int, terms: Int, tp: UnsafePointer<Int32>, tf: UnsafePointer<Int32>,
                           tc: UnsafePointer<T>, y: UnsafePointer<T>, into k: UnsafeMutablePointer<T>) {
        for q in 0..<pairs { k[q] = 0 }
        for t in 0..<terms { k[Int(tp[t])] += tc[t] * y[Int(tf[t])] }
    }

    /// `termCoefficient · scale`.
    func scaledCoefficients(_ scale: T) -> [T] { termCoefficient.map { $0 * scale } }

    /// Forward: `out[dst(e)] += scale · TP(x[src(e)], Y[e], w[e])` for `e` in `edges`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward(x: UnsafePointer<T>, src: UnsafePointer<Int32>?, y: UnsafePointer<T>,
                 w: UnsafePointer<T>, sharedWeights: Bool, edges: Range<Int>,
                 out: UnsafeMutablePointer<T>, dst: UnsafePointer<Int32>?, scale: T) {
        let C = channels, groups = groupPath.count, pairs = pairInput.count
        groupPath.withUnsafeBufferPointer { gpB in
        groupOutput.withUnsafeBufferPointer { goB in
        groupPairStart.withUnsafeBufferPointer { gsB in
        pairInput.withUnsafeBufferPointer { piB in
        termFilter.withUnsafeBufferPointer { tfB in
        let scaledTerms = scaledCoefficients(scale), terms = scaledTerms.count
        scaledTerms.withUnsafeBufferPointer { tcB in
        termPair.withUnsafeBufferPointer { tpB in
        withUnsafeTemporaryAllocation(of: T.self, capacity: pairs + C) { scratch in
            let gp = gpB.baseAddress!, go = goB.baseAddress!, gs = gsB.baseAddress!
            let pi = piB.baseAddress!, tf = tfB.baseAddress, tc = tcB.baseAddress, tp = tpB.baseAddress
            let K = scratch.baseAddress!, acc = K + pairs
            for e in edges {
                let xr = x + (src.map { Int($0[e]) } ?? e) * mIn * C
                let orow = out + (dst.map { Int($0[e]) } ?? e) * mOut * C
                let wr = sharedWeights ? w : w + e * paths * C
                if pairs > 0 {
                    Self.foldFilter(pairs: pairs, terms: terms, tp: tp!, tf: tf!, tc: tc!, y: y + e * mF, into: K)
                }
                for g in 0..<groups {
                    let q0 = Int(gs[g]), q1 = Int(gs[g + 1])
                    let wp = wr + Int(gp[g]) * C
                    let op = orow + Int(go[g]) * C
                    var k = K[q0]
                    var xp = xr + Int(pi[q0]) * C
                    for c in 0..<C { acc[c] = k * xp[c] }
                    var q = q0 + 1
                    while q < q1 {
                        k = K[q]
                        xp = xr + Int(pi[q]) * C
                        for c in 0..<C { acc[c] += k * xp[c] }
                        q += 1
                    }
                    for c in 0..<C { op[c] += wp[c] * acc[c] }
                }
            }
        }}}}}}}}
    }

    /// Backward of `forward` given `gOut = ∂L/∂out`: accumulates (+=) into the non-nil
    ///
    ///     gx[src(e), m1, c] += Σ K[q] w[p, c] gOut[dst(e), mo, c]
    ///     gy[e, mf]        += Σ_t α C_t · scale · Σ_c x[m1, c] w[p, c] gOut[mo, c]
    ///     gw[e or ·, p, c] += Σ_{mo} gOut[mo, c] Σ_{q ∈ (p, mo)} K[q] x[m1_q, c]
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func backward(x: UnsafePointer<T>, src: UnsafePointer<Int32>?, y: UnsafePointer<T>,
                  w: UnsafePointer<T>, sharedWeights: Bool, edges: Range<Int>,
                  gOut: UnsafePointer<T>, dst: UnsafePointer<Int32>?, scale: T,
                  gx: UnsafeMutablePointer<T>?, gy: UnsafeMutablePointer<T>?, gw: UnsafeMutablePointer<T>?) {
        let C = channels, groups = groupPath.count, pairs = pairInput.count
        guard pairs > 0 else { return }
        let needX = gx != nil, needY = gy != nil, needW = gw != nil
        groupPath.withUnsafeBufferPointer { gpB in
        groupOutput.withUnsafeBufferPointer { goB in
        groupPairStart.withUnsafeBufferPointer { gsB in
        pairInput.withUnsafeBufferPointer { piB in
        termFilter.withUnsafeBufferPointer { tfB in
        let scaledTerms = scaledCoefficients(scale), terms = scaledTerms.count
        scaledTerms.withUnsafeBufferPointer { tcB in
        termPair.withUnsafeBufferPointer { tpB in
        withUnsafeTemporaryAllocation(of: T.self, capacity: 2 * pairs + 2 * C) { scratch in
            let gp = gpB.baseAddress!, go = goB.baseAddress!, gs = gsB.baseAddress!
            let pi = piB.baseAddress!, tf = tfB.baseAddress!, tc = tcB.baseAddress!, tp = tpB.baseAddress!
            let K = scratch.baseAddress!, dK = K + pairs, wg = dK + pairs, acc = wg + C
            for e in edges {
                let srow = src.map { Int($0[e]) } ?? e
                let xr = x + srow * mIn * C
                let gr = gOut + (dst.map { Int($0[e]) } ?? e) * mOut * C
                let wr = sharedWeights ? w : w + e * paths * C
                Self.foldFilter(pairs: pairs, terms: terms, tp: tp, tf: tf, tc: tc, y: y + e * mF, into: K)
                for g in 0..<groups {
                    let q0 = Int(gs[g]), q1 = Int(gs[g + 1])
                    let p = Int(gp[g])
                    let wp = wr + p * C
                    let gp0 = gr + Int(go[g]) * C
                    if needX || needY {
                        for c in 0..<C { wg[c] = wp[c] * gp0[c] }
                    }
                    if needW { for c in 0..<C { acc[c] = 0 } }
                    for q in q0 ..< q1 {
                        let m1 = Int(pi[q]) * C
                        let xp = xr + m1
                        let k = K[q]
                        if let gx {
                            let gxp = gx + srow * mIn * C + m1
                            for c in 0..<C { gxp[c] += k * wg[c] }
                        }
                        if needY {
                            var s0: T = 0, s1: T = 0, s2: T = 0, s3: T = 0
                            var c = 0
                            while c + 4 <= C {
                                s0 += xp[c] * wg[c]; s1 += xp[c + 1] * wg[c + 1]
                                s2 += xp[c + 2] * wg[c + 2]; s3 += xp[c + 3] * wg[c + 3]
                                c += 4
                            }
                            while c < C { s0 += xp[c] * wg[c]; c += 1 }
                            dK[q] = (s0 + s1) + (s2 + s3)
                        }
                        if needW { for c in 0..<C { acc[c] += k * xp[c] } }
                    }
                    if let gw {
                        let gwp = (sharedWeights ? gw : gw + e * paths * C) + p * C
                        for c in 0..<C { gwp[c] += gp0[c] * acc[c] }
                    }
                }
                if let gy {
                    let gyr = gy + e * mF
                    for t in 0..<terms { gyr[Int(tf[t])] += tc[t] * dK[Int(tp[t])] }
                }
            }
        }}}}}}}}
    }
}
