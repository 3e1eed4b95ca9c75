import SE3Tensor

/// Differentiable channel-wise CG tensor products (seed eq. 2, 6, 7) on the tape, with
/// hand-written forward and backward kernels (`TensorProductKernel`) over the non-zero CG
/// entries of a `TensorProductPlan`.
///
/// Shapes (`M_in, M_f, M_out` = `(lmax+1)²` of input, filter, output; `P` paths; `C` channels):
///
///     input   [N, M_in, C]   node features (rows picked by `sources`; without `sources`, N = E)
///     filter  [E, M_f]       edge spherical harmonics Y(r̂_e)
///     weights [E, P, C] (or [E, P·C]) for `.perEdge`, [P, C] (or [P·C]) for `.shared`
///
/// Gradients flow to all three (each only if it requires one).
public enum TensorProduct {
    /// Per-edge product (no aggregation), shape `[E, M_out, C]`:
    /// `out[e] = TP(input[sources[e]], filter[e], weights[e])`; with `sources == nil` the input
    /// already has one row per edge. The SE(3)-Transformer's value/key messages use this.
    public static func edges<T>(_ plan: TensorProductPlan, input: Variable<T>, sources: [Int32]?,
                                filter: Variable<T>, weights: Variable<T>) -> Variable<T> {
        let e = filter.shape.first ?? 0
        return run(plan, input: input, sources: sources, filter: filter, weights: weights,
                   destinations: nil, outputRows: e, scale: 1)
    }

    /// Fused convolution (gather, product, scatter-sum), shape `[nodeCount, M_out, C]`:
    /// `out[i] = scale · Σ_{e: destinations[e] = i} TP(input[sources[e]], filter[e], weights[e])`.
    public static func convolution<T>(_ plan: TensorProductPlan, input: Variable<T>, sources: [Int32],
                                      destinations: [Int32], nodeCount: Int,
                                      filter: Variable<T>, weights: Variable<T>, scale: T) -> Variable<T> {
        run(plan, input: input, sources: sources, filter: filter, weights: weights,
            destinations: destinations, outputRows: nodeCount, scale: scale)
    }

    static func run<T>(_ plan: TensorProductPlan, input: Variable<T>, sources: [Int32]?,
                       filter: Variable<T>, weights: Variable<T>, destinations: [Int32]?,
                       outputRows: Int, scale: T) -> Variable<T> {
        let C = plan.channels, P = plan.pathCount
        layerCheck(filter.rank == 2 && filter.shape[1] == plan.filterComponents,
                   "TensorProduct: filter shape \(filter.shape), expected [E, \(plan.filterComponents)]")
        let E = filter.shape[0]
        layerCheck(input.rank == 3 && input.shape[1] == plan.inputComponents && input.shape[2] == C,
                   "TensorProduct: input shape \(input.shape), expected [N, \(plan.inputComponents), \(C)]")
        let inRows = input.shape[0]
        let shared = plan.weightSharing == .shared
        let wCount = shared ? P * C : E * P * C
        layerCheck(weights.count == wCount && (shared || weights.shape.first == E),
                   "TensorProduct: weights shape \(weights.shape), expected \(shared ? "[P, C]" : "[E, P, C]") with P = \(P), C = \(C), E = \(E)")
        if let sources {
            layerCheck(sources.count == E, "TensorProduct: \(sources.count) sources for \(E) edges")
            layerCheck(sources.allSatisfy { $0 >= 0 && Int($0) < inRows }, "TensorProduct: source index out of range 0..<\(inRows)")
        } else {
            layerCheck(inRows == E, "TensorProduct: input has \(inRows) rows for \(E) edges and no sources")
        }
        if let destinations {
            layerCheck(destinations.count == E, "TensorProduct: \(destinations.count) destinations for \(E) edges")
            layerCheck(destinations.allSatisfy { $0 >= 0 && Int($0) < outputRows },
                       "TensorProduct: destination index out of range 0..<\(outputRows)")
        }
        let kernel = TensorProductKernel<T>(plan: plan)
        let xv = input.value, yv = filter.value, wv = weights.value
        let threads = effectiveThreads(edges: E)
        var out = Tensor<T>(zeros: [outputRows, plan.outputComponents, C])
        if E > 0 {
            withIndexPointers(sources, destinations) { src, dst in
                xv.scalars.withUnsafeBufferPointer { px in
                yv.scalars.withUnsafeBufferPointer { py in
                wv.scalars.withUnsafeBufferPointer { pw in
                out.scalars.withUnsafeMutableBufferPointer { po in
                    // rows of `out` are shared between edge chunks when scattering
                    parallelChunks(edges: E, threads: threads, outputs: [(po.baseAddress!, po.count, dst != nil)]) { r, o in
                        kernel.forwardAny(x: px.baseAddress!, src: src, y: py.baseAddress!, w: pw.baseAddress!,
                                          sharedWeights: shared, edges: r, out: o[0]!, dst: dst, scale: scale)
                    }
                }}}}
            }
        }
        let needX = input.requiresGrad, needY = filter.requiresGrad, needW = weights.requiresGrad
        let xShape = input.shape, yShape = filter.shape, wShape = weights.shape
        return input.tape.custom(value: out, inputs: [input, filter, weights]) { g in
            var gx = needX ? Tensor<T>(zeros: xShape) : nil
            var gy = needY ? Tensor<T>(zeros: yShape) : nil
            var gw = needW ? Tensor<T>(zeros: wShape) : nil
            guard E > 0 else { return [gx, gy, gw] }
            withIndexPointers(sources, destinations) { src, dst in
                xv.scalars.withUnsafeBufferPointer { px in
                yv.scalars.withUnsafeBufferPointer { py in
                wv.scalars.withUnsafeBufferPointer { pw in
                g.scalars.withUnsafeBufferPointer { pg in
                withOptionalMutablePointer(&gx) { pgx in
                withOptionalMutablePointer(&gy) { pgy in
                withOptionalMutablePointer(&gw) { pgw in
                    // ∂x rows are shared when gathering, shared ∂w always; ∂Y rows are per edge
                    let outputs: [(UnsafeMutablePointer<T>?, Int, Bool)] = [
                        (pgx, xShape.reduce(1, *), src != nil),
                        (pgy, yShape.reduce(1, *), false),
                        (pgw, wShape.reduce(1, *), shared),
                    ]
                    parallelChunks(edges: E, threads: threads, outputs: outputs) { r, o in
                        kernel.backwardAny(x: px.baseAddress!, src: src, y: py.baseAddress!, w: pw.baseAddress!,
                                           sharedWeights: shared, edges: r, gOut: pg.baseAddress!, dst: dst,
                                           scale: scale, gx: o[0], gy: o[1], gw: o[2])
                    }
                }}}}}}}
            }
            return [gx, gy, gw]
        }
    }
}

/// Calls `body` with base pointers of the optional index arrays (nil stays nil).
@inline(__always)
func withIndexPointers<R>(_ a: [Int32]?, _ b: [Int32]?,
                          _ body: (UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R) -> R {
    func withOne<S>(_ x: [Int32]?, _ f: (UnsafePointer<Int32>?) -> S) -> S {
        guard let x, !x.isEmpty else { return f(nil) }
        return x.withUnsafeBufferPointer { f($0.baseAddress!) }
    }
    return withOne(a) { pa in withOne(b) { pb in body(pa, pb) } }
}

/// Calls `body` with the mutable base pointer of an optional tensor (nil when absent or empty).
@inline(__always)
func withOptionalMutablePointer<T, R>(_ t: inout Tensor<T>?, _ body: (UnsafeMutablePointer<T>?) -> R) -> R {
    guard t != nil, t!.count > 0 else { return body(nil) }
    return t!.scalars.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
}

