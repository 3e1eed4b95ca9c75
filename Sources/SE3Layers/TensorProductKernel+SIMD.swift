/// Register-blocked variants of the tensor-product kernels: channels are processed in
/// blocks of 8 held in `SIMD8<T>` registers across the whole pair loop of a group, so the
/// accumulator never goes through memory (the scalar kernel loads and stores it per pair).
/// Used when `channels` is a multiple of 8 (`TensorProduct` dispatches); results are
/// identical up to floating-point summation order within a group.
extension TensorProductKernel where T: SIMDScalar {
    @inline(__always)
    static func load(_ p: UnsafePointer<T>) -> SIMD8<T> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<T>.self)
    }

    @inline(__always)
    static func store(_ v: SIMD8<T>, _ p: UnsafeMutablePointer<T>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<T>.self)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forwardBlocked(x: UnsafePointer<T>, src: UnsafePointer<Int32>?, y: UnsafePointer<T>,
                        w: UnsafePointer<T>, sharedWeights: Bool, edges: Range<Int>,
                        out: UnsafeMutablePointer<T>, dst: UnsafePointer<Int32>?, scale: T) {
        let C = channels, groups = groupPath.count, pairs = pairInput.count
        guard pairs > 0 else { return }
        groupPath.withUnsafeBufferPointer { gpB in
        groupOutput.withUnsafeBufferPointer { goB in
        groupPairStart.withUnsafeBufferPointer { gsB in
        pairInput.withUnsafeBufferPointer { piB in
        termFilter.withUnsafeBufferPointer { tfB in
        let scaledTerms = scaledCoefficients(scale), terms = scaledTerms.count
        scaledTerms.withUnsafeBufferPointer { tcB in
        termPair.withUnsafeBufferPointer { tpB in
        withUnsafeTemporaryAllocation(of: T.self, capacity: pairs) { scratch in
            let gp = gpB.baseAddress!, go = goB.baseAddress!, gs = gsB.baseAddress!
            let pi = piB.baseAddress!, tf = tfB.baseAddress!, tc = tcB.baseAddress!, tp = tpB.baseAddress!
            let K = scratch.baseAddress!
            for e in edges {
                let xr = x + (src.map { Int($0[e]) } ?? e) * mIn * C
                let orow = out + (dst.map { Int($0[e]) } ?? e) * mOut * C
                let wr = sharedWeights ? w : w + e * paths * C
                Self.foldFilter(pairs: pairs, terms: terms, tp: tp, tf: tf, tc: tc, y: y + e * mF, into: K)
                for g in 0..<groups {
                    let q0 = Int(gs[g]), q1 = Int(gs[g + 1])
                    let wp = wr + Int(gp[g]) * C
                    let op = orow + Int(go[g]) * C
                    var c = 0
                    while c < C {
                        var acc = SIMD8<T>(repeating: K[q0]) * Self.load(xr + Int(pi[q0]) * C + c)
                        var q = q0 + 1
                        while q < q1 {
                            acc += SIMD8<T>(repeating: K[q]) * Self.load(xr + Int(pi[q]) * C + c)
                            q += 1
                        }
                        Self.store(Self.load(op + c) + Self.load(wp + c) * acc, op + c)
                        c += 8
                    }
                }
            }
        }}}}}}}}
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func backwardBlocked(x: UnsafePointer<T>, src: UnsafePointer<Int32>?, y: UnsafePointer<T>,
                         w: UnsafePointer<T>, sharedWeights: Bool, edges: Range<Int>,
                         gOut: UnsafePointer<T>, dst: UnsafePointer<Int32>?, scale: T,
                         gx: UnsafeMutablePointer<T>?, gy: UnsafeMutablePointer<T>?, gw: UnsafeMutablePointer<T>?) {
        let C = channels, groups = groupPath.count, pairs = pairInput.count
        guard pairs > 0 else { return }
        let needY = gy != nil
        groupPath.withUnsafeBufferPointer { gpB in
        groupOutput.withUnsafeBufferPointer { goB in
        groupPairStart.withUnsafeBufferPointer { gsB in
        pairInput.withUnsafeBufferPointer { piB in
        termFilter.withUnsafeBufferPointer { tfB in
        let scaledTerms = scaledCoefficients(scale), terms = scaledTerms.count
        scaledTerms.withUnsafeBufferPointer { tcB in
        termPair.withUnsafeBufferPointer { tpB in
        withUnsafeTemporaryAllocation(of: T.self, capacity: 10 * pairs) { scratch in
            let gp = gpB.baseAddress!, go = goB.baseAddress!, gs = gsB.baseAddress!
            let pi = piB.baseAddress!, tf = tfB.baseAddress!, tc = tcB.baseAddress!, tp = tpB.baseAddress!
            let K = scratch.baseAddress!, dK = K + pairs, dKv = dK + pairs   // dKv: 8 partial sums per pair
            for e in edges {
                let srow = src.map { Int($0[e]) } ?? e
                let xr = x + srow * mIn * C
                let gxr = gx.map { $0 + srow * mIn * C }
                let gr = gOut + (dst.map { Int($0[e]) } ?? e) * mOut * C
                let wr = sharedWeights ? w : w + e * paths * C
                Self.foldFilter(pairs: pairs, terms: terms, tp: tp, tf: tf, tc: tc, y: y + e * mF, into: K)
                if needY { for i in 0..<(8 * pairs) { dKv[i] = 0 } }
                for g in 0..<groups {
                    let q0 = Int(gs[g]), q1 = Int(gs[g + 1])
                    let p = Int(gp[g])
                    let wp = wr + p * C
                    let gp0 = gr + Int(go[g]) * C
                    let gwp = gw.map { ($0 + (sharedWeights ? 0 : e * paths * C)) + p * C }
                    var c = 0
                    while c < C {
                        let gv = Self.load(gp0 + c)
                        let wg = Self.load(wp + c) * gv
                        var accW = SIMD8<T>(repeating: 0)
                        for q in q0 ..< q1 {
                            let off = Int(pi[q]) * C + c
                            let k = SIMD8<T>(repeating: K[q])
                            let xv = Self.load(xr + off)
                            if let gxr { Self.store(Self.load(gxr + off) + k * wg, gxr + off) }
                            if needY { Self.store(Self.load(dKv + 8 * q) + xv * wg, dKv + 8 * q) }
                            if gwp != nil { accW += k * xv }
                        }
                        if let gwp { Self.store(Self.load(gwp + c) + gv * accW, gwp + c) }
                        c += 8
                    }
                }
                if let gy {
                    for q in 0..<pairs {
                        let v = dKv + 8 * q
                        dK[q] = ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]))
                    }
                    let gyr = gy + e * mF
                    for t in 0..<terms { gyr[Int(tf[t])] += tc[t] * dK[Int(tp[t])] }
                }
            }
        }}}}}}}}
    }
}

extension TensorProductKernel {
    /// Forward over `edges`, using the register-blocked kernel for Float/Double when
    /// `channels` is a multiple of 8 and the scalar kernel otherwise.
    func forwardAny(x: UnsafePointer<T>, src: UnsafePointer<Int32>?, y: UnsafePointer<T>,
                    w: UnsafePointer<T>, sharedWeights: Bool, edges: Range<Int>,
                    out: UnsafeMutablePointer<T>, dst: UnsafePointer<Int32>?, scale: T) {
        if channels % 8 == 0, let k = self as? TensorProductKernel<Float> {
            k.forwardBlocked(x: cast(x), src: src, y: cast(y), w: cast(w), sharedWeights: sharedWeights,
                             edges: edges, out: cast(out), dst: dst, scale: Float(scale))
        } else if channels % 8 == 0, let k = self as? TensorProductKernel<Double> {
            k.forwardBlocked(x: cast(x), src: src, y: cast(y), w: cast(w), sharedWeights: sharedWeights,
                             edges: edges, out: cast(out), dst: dst, scale: Double(scale))
        } else {
            forward(x: x, src: src, y: y, w: w, sharedWeights: sharedWeights, edges: edges, out: out, dst: dst, scale: scale)
        }
    }

    /// Backward over `edges` (same dispatch as `forwardAny`).
    func backwardAny(x: UnsafePointer<T>, src: UnsafePointer<Int32>?, y: UnsafePointer<T>,
                     w: UnsafePointer<T>, sharedWeights: Bool, edges: Range<Int>,
                     gOut: UnsafePointer<T>, dst: UnsafePointer<Int32>?, scale: T,
                     gx: UnsafeMutablePointer<T>?, gy: UnsafeMutablePointer<T>?, gw: UnsafeMutablePointer<T>?) {
        if channels % 8 == 0, let k = self as? TensorProductKernel<Float> {
            k.backwardBlocked(x: cast(x), src: src, y: cast(y), w: cast(w), sharedWeights: sharedWeights, edges: edges,
                              gOut: cast(gOut), dst: dst, scale: Float(scale),
                              gx: gx.map { cast($0) }, gy: gy.map { cast($0) }, gw: gw.map { cast($0) })
        } else if channels % 8 == 0, let k = self as? TensorProductKernel<Double> {
            k.backwardBlocked(x: cast(x), src: src, y: cast(y), w: cast(w), sharedWeights: sharedWeights, edges: edges,
                              gOut: cast(gOut), dst: dst, scale: Double(scale),
                              gx: gx.map { cast($0) }, gy: gy.map { cast($0) }, gw: gw.map { cast($0) })
        } else {
            backward(x: x, src: src, y: y, w: w, sharedWeights: sharedWeights, edges: edges, gOut: gOut, dst: dst,
                     scale: scale, gx: gx, gy: gy, gw: gw)
        }
    }
}

/// Pointer reinterpretation between identical scalar types (after a successful dynamic cast).
@inline(__always)
func cast<T, U>(_ p: UnsafePointer<T>) -> UnsafePointer<U> { UnsafeRawPointer(p).assumingMemoryBound(to: U.self) }

@inline(__always)
func cast<T, U>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<U> {
    UnsafeMutableRawPointer(p).assumingMemoryBound(to: U.self)
}
