import SE3Core
import SE3Tensor

/// Hand-written tensor-product kernels over the non-zero CG entries of a `TensorProductPlan`
/// (see `TensorProductPlan.KernelTables` for the algorithm). Channels are the innermost,
/// contiguous loop, processed in blocks of 8 held in `SIMD8` registers across a group's pair loop
/// (then a scalar tail); all arrays are row-major in the plan's layout:
///
///     x   [Nx, irrepsIn.dim]       row src[e] (or e when `src` is nil)
///     Y   [E, irrepsFilter.dim]
///     w   [R, weightsPerEdge]      row wrow[e] (or e when `wrow` is nil); one row when shared
///     out [No, irrepsOut.dim]      row dst[e] (or e when `dst` is nil); accumulated (+=)
///
/// `scale` multiplies every output (e.g. `1/√avgNeighbors`) and is folded into the per-edge
/// pair coefficients `K`. With `order`, the positions in `edges` index `order`, which gives the
/// edge ids (a chunk of edges in any order); weight rows are then `wrow[e] − rowOffset` (the
/// rows of a chunk of per-pair weights). The tables live in one allocation for the kernel's lifetime.
final class TensorProductKernel<T: TensorScalar> {
    let groups: Int, pairs: Int, terms: Int
    let dimIn: Int, dimF: Int, dimOut: Int, weightRow: Int, maxChannels: Int
    let groupPath: UnsafeMutablePointer<Int32>
    let groupOutput: UnsafeMutablePointer<Int32>
    let groupPairStart: UnsafeMutablePointer<Int32>
    let pairInput: UnsafeMutablePointer<Int32>
    let termPair: UnsafeMutablePointer<Int32>
    let termFilter: UnsafeMutablePointer<Int32>
    let pathMixes: UnsafeMutablePointer<Bool>
    let pathIn: UnsafeMutablePointer<Int32>
    let pathOut: UnsafeMutablePointer<Int32>
    let pathWeight: UnsafeMutablePointer<Int32>
    /// `α_p C_t`, unscaled.
    let coefficients: [T]

    init(plan: TensorProductPlan) {
        let k = plan.kernel
        groups = k.groupCount; pairs = k.pairCount; terms = k.termCount
        dimIn = plan.inputDimension; dimF = plan.filterDimension; dimOut = plan.outputDimension
        weightRow = plan.weightsPerEdge; maxChannels = k.maxInputChannels
        func copy<V>(_ a: [V]) -> UnsafeMutablePointer<V> {
            let p = UnsafeMutablePointer<V>.allocate(capacity: max(1, a.count))
            if !a.isEmpty { p.initialize(from: a, count: a.count) }
            return p
        }
        groupPath = copy(k.groupPath); groupOutput = copy(k.groupOutput); groupPairStart = copy(k.groupPairStart)
        pairInput = copy(k.pairInput); termFilter = copy(k.termFilter)
        var tp = [Int32](repeating: 0, count: k.termCount)
        for q in 0..<k.pairCount { for t in Int(k.pairTermStart[q]) ..< Int(k.pairTermStart[q + 1]) { tp[t] = Int32(q) } }
        termPair = copy(tp)
        pathMixes = copy(k.pathMixes); pathIn = copy(k.pathInputChannels); pathOut = copy(k.pathOutputChannels)
        pathWeight = copy(k.pathWeightOffset)
        coefficients = k.termCoefficient.map { T($0) }
    }

    deinit {
        for p in [groupPath, groupOutput, groupPairStart, pairInput, termPair, termFilter, pathIn, pathOut, pathWeight] {
            p.deallocate()
        }
        pathMixes.deallocate()
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<T>) -> SIMD8<T> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<T>.self) }

    @inline(__always)
    static func store(_ v: SIMD8<T>, _ p: UnsafeMutablePointer<T>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<T>.self)
    }

    /// `K[q] = Σ_t scale α C_t Y[mf_t]` in one flat pass over the terms (`tc` holds `scale α C`).
    @inline(__always)
    func foldFilter(_ tc: UnsafePointer<T>, y: UnsafePointer<T>, into k: UnsafeMutablePointer<T>) {
        for q in 0..<pairs { k[q] = 0 }
        for t in 0..<terms { k[Int(termPair[t])] += tc[t] * y[Int(termFilter[t])] }
    }

    /// `a[u] = Σ_{q ∈ q0..<q1} K[q] x[pairInput[q] + u]` for `u < n`.
    @inline(__always)
    func accumulate(_ xr: UnsafePointer<T>, _ K: UnsafePointer<T>, _ q0: Int, _ q1: Int, _ n: Int,
                    into a: UnsafeMutablePointer<T>) {
        var c = 0
        while c + 8 <= n {
            var acc = SIMD8<T>(repeating: K[q0]) * Self.load(xr + Int(pairInput[q0]) + c)
            for q in (q0 + 1) ..< q1 { acc += SIMD8<T>(repeating: K[q]) * Self.load(xr + Int(pairInput[q]) + c) }
            Self.store(acc, a + c)
            c += 8
        }
        while c < n {
            var s = K[q0] * xr[Int(pairInput[q0]) + c]
            for q in (q0 + 1) ..< q1 { s += K[q] * xr[Int(pairInput[q]) + c] }
            a[c] = s
            c += 1
        }
    }

    /// Forward: `out[dst(e)] += scale · TP(x[src(e)], Y[e], w[wrow(e)])` for `e` in `edges`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward(x: UnsafePointer<T>, src: UnsafePointer<Int32>?, y: UnsafePointer<T>,
                 w: UnsafePointer<T>, wrow: UnsafePointer<Int32>?, sharedWeights: Bool, edges: Range<Int>,
                 out: UnsafeMutablePointer<T>, dst: UnsafePointer<Int32>?, scale: T,
                 order: UnsafePointer<Int32>? = nil, rowOffset: Int = 0) {
        guard pairs > 0 else { return }
        let tcs = coefficients.map { $0 * scale }
        tcs.withUnsafeBufferPointer { tcB in
        withUnsafeTemporaryAllocation(of: T.self, capacity: pairs + maxChannels) { scratch in
            let tc = tcB.baseAddress!, K = scratch.baseAddress!, a = K + pairs
            for i in edges {
                let e = order.map { Int($0[i]) } ?? i
                let xr = x + (src.map { Int($0[e]) } ?? e) * dimIn
                let orow = out + (dst.map { Int($0[e]) } ?? e) * dimOut
                let wr = sharedWeights ? w : w + ((wrow.map { Int($0[e]) } ?? e) - rowOffset) * weightRow
                foldFilter(tc, y: y + e * dimF, into: K)
                for g in 0..<groups {
                    let q0 = Int(groupPairStart[g]), q1 = Int(groupPairStart[g + 1])
                    let p = Int(groupPath[g]), cin = Int(pathIn[p])
                    let wp = wr + Int(pathWeight[p])
                    let op = orow + Int(groupOutput[g])
                    if !pathMixes[p] {
                        var c = 0
                        while c + 8 <= cin {
                            var acc = SIMD8<T>(repeating: K[q0]) * Self.load(xr + Int(pairInput[q0]) + c)
                            for q in (q0 + 1) ..< q1 {
                                acc += SIMD8<T>(repeating: K[q]) * Self.load(xr + Int(pairInput[q]) + c)
                            }
                            Self.store(Self.load(op + c) + Self.load(wp + c) * acc, op + c)
                            c += 8
                        }
                        while c < cin {
                            var s = K[q0] * xr[Int(pairInput[q0]) + c]
                            for q in (q0 + 1) ..< q1 { s += K[q] * xr[Int(pairInput[q]) + c] }
                            op[c] += wp[c] * s
                            c += 1
                        }
                    } else {
                        accumulate(xr, K, q0, q1, cin, into: a)
                        let cout = Int(pathOut[p])
                        var c = 0
                        while c + 8 <= cout {
                            var s = SIMD8<T>(repeating: 0)
                            for u in 0..<cin { s += SIMD8<T>(repeating: a[u]) * Self.load(wp + u * cout + c) }
                            Self.store(Self.load(op + c) + s, op + c)
                            c += 8
                        }
                        while c < cout {
                            var s: T = 0
                            for u in 0..<cin { s += a[u] * wp[u * cout + c] }
                            op[c] += s
                            c += 1
                        }
                    }
                }
            }
        }}
    }

    /// Backward of `forward` given `gOut = ∂L/∂out`: accumulates (+=) into the non-nil
    ///
    ///     gx[src(e), m1, u] += K[q] · b[u],          b = w ⊙ gOut[mo] (uvu),  b[u] = Σ_w w[u, w] gOut[mo, w] (uvw)
    ///     gy[e, mf]        += Σ_t scale α C_t · Σ_u x[m1, u] b[u]
    ///     gw[wrow(e) or ·]  += gOut[mo] ⊙ a (uvu),   a[u] gOut[mo, w] (uvw),   a[u] = Σ_q K[q] x[m1_q, u]
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func backward(x: UnsafePointer<T>, src: UnsafePointer<Int32>?, y: UnsafePointer<T>,
                  w: UnsafePointer<T>, wrow: UnsafePointer<Int32>?, sharedWeights: Bool, edges: Range<Int>,
                  gOut: UnsafePointer<T>, dst: UnsafePointer<Int32>?, scale: T,
                  gx: UnsafeMutablePointer<T>?, gy: UnsafeMutablePointer<T>?, gw: UnsafeMutablePointer<T>?,
                  order: UnsafePointer<Int32>? = nil, rowOffset: Int = 0) {
        guard pairs > 0 else { return }
        let needY = gy != nil
        let tcs = coefficients.map { $0 * scale }
        tcs.withUnsafeBufferPointer { tcB in
        withUnsafeTemporaryAllocation(of: T.self, capacity: 10 * pairs + 2 * maxChannels) { scratch in
            let tc = tcB.baseAddress!
            let K = scratch.baseAddress!, dKs = K + pairs, dKv = dKs + pairs   // dKv: 8 partial sums per pair
            let a = dKv + 8 * pairs, b = a + maxChannels
            for i in edges {
                let e = order.map { Int($0[i]) } ?? i
                let srow = src.map { Int($0[e]) } ?? e
                let xr = x + srow * dimIn
                let gxr = gx.map { $0 + srow * dimIn }
                let gr = gOut + (dst.map { Int($0[e]) } ?? e) * dimOut
                let weightOffset = sharedWeights ? 0 : ((wrow.map { Int($0[e]) } ?? e) - rowOffset) * weightRow
                let wr = w + weightOffset
                let gwr = gw.map { $0 + weightOffset }
                foldFilter(tc, y: y + e * dimF, into: K)
                if needY { for i in 0..<(9 * pairs) { dKs[i] = 0 } }
                for g in 0..<groups {
                    let q0 = Int(groupPairStart[g]), q1 = Int(groupPairStart[g + 1])
                    let p = Int(groupPath[g]), cin = Int(pathIn[p])
                    let wp = wr + Int(pathWeight[p])
                    let gp0 = gr + Int(groupOutput[g])
                    let gwp = gwr.map { $0 + Int(pathWeight[p]) }
                    if !pathMixes[p] {
                        var c = 0
                        while c + 8 <= cin {
                            let gv = Self.load(gp0 + c)
                            let wg = Self.load(wp + c) * gv
                            var accW = SIMD8<T>(repeating: 0)
                            for q in q0 ..< q1 {
                                let off = Int(pairInput[q]) + c
                                let k = SIMD8<T>(repeating: K[q])
                                let xv = Self.load(xr + off)
                                if let gxr { Self.store(Self.load(gxr + off) + k * wg, gxr + off) }
                                if needY { Self.store(Self.load(dKv + 8 * q) + xv * wg, dKv + 8 * q) }
                                if gwp != nil { accW += k * xv }
                            }
                            if let gwp { Self.store(Self.load(gwp + c) + gv * accW, gwp + c) }
                            c += 8
                        }
                        while c < cin {
                            let gv = gp0[c], wg = wp[c] * gv
                            var accW: T = 0
                            for q in q0 ..< q1 {
                                let off = Int(pairInput[q]) + c
                                if let gxr { gxr[off] += K[q] * wg }
                                if needY { dKs[q] += xr[off] * wg }
                                accW += K[q] * xr[off]
                            }
                            if let gwp { gwp[c] += gv * accW }
                            c += 1
                        }
                    } else {
                        let cout = Int(pathOut[p])
                        for u in 0..<cin {                       // b[u] = Σ_w w[u, w] g[w]
                            let row = wp + u * cout
                            var s = SIMD8<T>(repeating: 0)
                            var c = 0
                            while c + 8 <= cout { s += Self.load(row + c) * Self.load(gp0 + c); c += 8 }
                            var t = s.sum()
                            while c < cout { t += row[c] * gp0[c]; c += 1 }
                            b[u] = t
                        }
                        if let gwp {                              // ∂w[u, w] += a[u] g[w]
                            accumulate(xr, K, q0, q1, cin, into: a)
                            for u in 0..<cin {
                                let row = gwp + u * cout, au = SIMD8<T>(repeating: a[u])
                                var c = 0
                                while c + 8 <= cout { Self.store(Self.load(row + c) + au * Self.load(gp0 + c), row + c); c += 8 }
                                while c < cout { row[c] += a[u] * gp0[c]; c += 1 }
                            }
                        }
                        for q in q0 ..< q1 {
                            let off = Int(pairInput[q])
                            let k = K[q], kv = SIMD8<T>(repeating: k)
                            var c = 0
                            while c + 8 <= cin {
                                let bv = Self.load(b + c)
                                if let gxr { Self.store(Self.load(gxr + off + c) + kv * bv, gxr + off + c) }
                                if needY { Self.store(Self.load(dKv + 8 * q) + Self.load(xr + off + c) * bv, dKv + 8 * q) }
                                c += 8
                            }
                            while c < cin {
                                if let gxr { gxr[off + c] += k * b[c] }
                                if needY { dKs[q] += xr[off + c] * b[c] }
                                c += 1
                            }
                        }
                    }
                }
                if let gy {
                    for q in 0..<pairs {
                        let v = dKv + 8 * q
                        dKs[q] += ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]))
                    }
                    let gyr = gy + e * dimF
                    for t in 0..<terms { gyr[Int(termFilter[t])] += tc[t] * dKs[Int(termPair[t])] }
                }
            }
        }}
    }
}
