import SE3Core
import SE3Tensor

extension TensorProduct {
    /// A tensor product whose per-pair weights are the output layer of a radial network,
    /// produced and consumed in chunks of atom pairs so that the full `[pairs, weightsPerEdge]`
    /// tensor (for an SE(3)-Transformer layer with 19 channel-mixing paths of 32 × 64 channels,
    /// 0.45 GB for a QM9 batch of 32) never exists:
    ///
    ///     W_p   = lastScale · h_p · lastWeight                  (p = pair, h [P, H], lastWeight [H, W])
    ///     out_e = scale · TP(input[src(e)], filter[e], W_{pair(e)})           (destinations == nil: [E] + row)
    ///     out_i = scale · Σ_{e: dst(e) = i} TP(…)                              (destinations given: [nodeCount] + row)
    ///
    /// Pairs are processed `chunkPairs` at a time (default: as many as fit 4 Mi weights); for each
    /// chunk one GEMM makes its weights and the kernel runs over the chunk's edges. The backward
    /// pass makes each chunk's weights again (one more GEMM; nothing per edge is kept), runs the
    /// kernel's backward for `∂input`, `∂filter` and `∂W`, then `∂lastWeight += lastScale · h_cᵀ ∂W_c`
    /// and `∂h_c = lastScale · ∂W_c · lastWeightᵀ`.
    public static func pairConvolution<T>(_ plan: TensorProductPlan, input: Variable<T>, sources: [Int32],
                                          destinations: [Int32]?, nodeCount: Int? = nil, filter: Variable<T>,
                                          hidden: Variable<T>, lastWeight: Variable<T>, lastScale: T,
                                          pairs: [Int32], scale: T, chunkPairs: Int? = nil) -> Variable<T> {
        let dIn = plan.inputDimension, dF = plan.filterDimension, W = plan.weightsPerEdge
        require(plan.weightSharing == .perEdge, "TensorProduct.pairConvolution needs a per-edge plan")
        require(filter.rank == 2 && filter.shape[1] == dF, "TensorProduct.pairConvolution: filter shape \(filter.shape), expected [E, \(dF)]")
        let E = filter.shape[0], N = input.shape.first ?? 0
        require(input.rank >= 2 && input.count == N * dIn, "TensorProduct.pairConvolution: input shape \(input.shape), expected [N, \(dIn)]")
        require(hidden.rank == 2, "TensorProduct.pairConvolution: hidden shape \(hidden.shape), expected [P, H]")
        let P = hidden.shape[0], H = hidden.shape[1]
        require(lastWeight.shape == [H, W], "TensorProduct.pairConvolution: last weight shape \(lastWeight.shape), expected [\(H), \(W)]")
        require(sources.count == E && pairs.count == E, "TensorProduct.pairConvolution: \(sources.count) sources, \(pairs.count) pairs for \(E) edges")
        require(sources.allSatisfy { $0 >= 0 && Int($0) < N }, "TensorProduct.pairConvolution: source index out of range 0..<\(N)")
        require(pairs.allSatisfy { $0 >= 0 && Int($0) < P }, "TensorProduct.pairConvolution: pair index out of range 0..<\(P)")
        let outRows = destinations == nil ? E : (nodeCount ?? N)
        if let destinations {
            require(destinations.count == E && destinations.allSatisfy { $0 >= 0 && Int($0) < outRows },
                    "TensorProduct.pairConvolution: destinations must be \(E) indices in 0..<\(outRows)")
        }
        // edges grouped by pair (counting sort): pair p owns order[start[p] ..< start[p + 1]]
        var start = [Int](repeating: 0, count: P + 1)
        for p in pairs { start[Int(p) + 1] += 1 }
        for p in 0..<P { start[p + 1] += start[p] }
        var fill = start
        var order = [Int32](repeating: 0, count: E)
        for e in 0..<E { order[fill[Int(pairs[e])]] = Int32(e); fill[Int(pairs[e])] += 1 }
        let chunk = max(1, min(max(P, 1), chunkPairs ?? (4 << 20) / max(W, 1)))
        let kernel = TensorProductKernel<T>(plan: plan)
        let xv = input.value, yv = filter.value, hv = hidden.value, lv = lastWeight.value
        let threads = effectiveThreads(edges: E)

        /// `W_c = lastScale · h[p0 ..< p1] · lastWeight` into `buffer`.
        func chunkWeights(_ p0: Int, _ p1: Int, into buffer: UnsafeMutablePointer<T>) {
            hv.scalars.withUnsafeBufferPointer { ph in
            lv.scalars.withUnsafeBufferPointer { pl in
                T.gemm(transposeA: false, transposeB: false, m: p1 - p0, n: W, k: H, alpha: lastScale,
                       a: ph.baseAddress! + p0 * H, lda: H, b: pl.baseAddress!, ldb: W, beta: 0, c: buffer, ldc: W)
            }}
        }

        var out = Tensor<T>(zeros: [outRows] + plan.outputRowShape)
        if E > 0 && W > 0 && H > 0 {
            let buffer = UnsafeMutablePointer<T>.allocate(capacity: chunk * W)
            defer { buffer.deallocate() }
            withIndexPointers(sources, destinations, pairs) { src, dst, wrow in
            order.withUnsafeBufferPointer { po in
            xv.scalars.withUnsafeBufferPointer { px in
            yv.scalars.withUnsafeBufferPointer { py in
            out.scalars.withUnsafeMutableBufferPointer { pout in
                var p0 = 0
                while p0 < P {
                    let p1 = min(P, p0 + chunk)
                    chunkWeights(p0, p1, into: buffer)
                    let c0 = start[p0], c1 = start[p1]
                    parallelChunks(edges: c1 - c0, threads: threads, outputs: [(pout.baseAddress!, pout.count, dst != nil)]) { r, o in
                        kernel.forward(x: px.baseAddress!, src: src, y: py.baseAddress!, w: UnsafePointer(buffer), wrow: wrow,
                                       sharedWeights: false, edges: (r.lowerBound + c0)..<(r.upperBound + c0), out: o[0]!,
                                       dst: dst, scale: scale, order: po.baseAddress!, rowOffset: p0)
                    }
                    p0 = p1
                }
            }}}}}
        }
        let needX = input.requiresGrad, needY = filter.requiresGrad
        let needH = hidden.requiresGrad, needL = lastWeight.requiresGrad
        let xShape = input.shape
        return input.tape.custom(value: out, inputs: [input, filter, hidden, lastWeight]) { g in
            var gx = needX ? Tensor<T>(zeros: xShape) : nil
            var gy = needY ? Tensor<T>(zeros: [E, dF]) : nil
            var gh = needH ? Tensor<T>(zeros: [P, H]) : nil
            var gl = needL ? Tensor<T>(zeros: [H, W]) : nil
            guard E > 0 && W > 0 && H > 0 else { return [gx, gy, gh, gl] }
            let needW = needH || needL
            let buffer = UnsafeMutablePointer<T>.allocate(capacity: chunk * W)
            let gradBuffer = UnsafeMutablePointer<T>.allocate(capacity: needW ? chunk * W : 1)
            defer { buffer.deallocate(); gradBuffer.deallocate() }
            withIndexPointers(sources, destinations, pairs) { src, dst, wrow in
            order.withUnsafeBufferPointer { po in
            xv.scalars.withUnsafeBufferPointer { px in
            yv.scalars.withUnsafeBufferPointer { py in
            hv.scalars.withUnsafeBufferPointer { ph in
            lv.scalars.withUnsafeBufferPointer { pl in
            g.scalars.withUnsafeBufferPointer { pg in
            withOptionalMutablePointer(&gx) { pgx in
            withOptionalMutablePointer(&gy) { pgy in
            withOptionalMutablePointer(&gh) { pgh in
            withOptionalMutablePointer(&gl) { pgl in
                var p0 = 0
                while p0 < P {
                    let p1 = min(P, p0 + chunk), rows = p1 - p0
                    chunkWeights(p0, p1, into: buffer)
                    if needW { gradBuffer.initialize(repeating: 0, count: rows * W) }
                    let c0 = start[p0], c1 = start[p1]
                    let outputs: [(UnsafeMutablePointer<T>?, Int, Bool)] = [
                        (pgx, xShape.reduce(1, *), true), (pgy, E * dF, false), (needW ? gradBuffer : nil, rows * W, true),
                    ]
                    parallelChunks(edges: c1 - c0, threads: threads, outputs: outputs) { r, o in
                        kernel.backward(x: px.baseAddress!, src: src, y: py.baseAddress!, w: UnsafePointer(buffer), wrow: wrow,
                                        sharedWeights: false, edges: (r.lowerBound + c0)..<(r.upperBound + c0),
                                        gOut: pg.baseAddress!, dst: dst, scale: scale, gx: o[0], gy: o[1], gw: o[2],
                                        order: po.baseAddress!, rowOffset: p0)
                    }
                    if let pgl {          // ∂lastWeight += lastScale · h_cᵀ ∂W_c
                        T.gemm(transposeA: true, transposeB: false, m: H, n: W, k: rows, alpha: lastScale,
                               a: ph.baseAddress! + p0 * H, lda: H, b: UnsafePointer(gradBuffer), ldb: W, beta: 1, c: pgl, ldc: W)
                    }
                    if let pgh {          // ∂h_c = lastScale · ∂W_c · lastWeightᵀ
                        T.gemm(transposeA: false, transposeB: true, m: rows, n: H, k: W, alpha: lastScale,
                               a: UnsafePointer(gradBuffer), lda: W, b: pl.baseAddress!, ldb: W, beta: 0, c: pgh + p0 * H, ldc: H)
                    }
                    p0 = p1
                }
            }}}}}}}}}}}
            return [gx, gy, gh, gl]
        }
    }
}
