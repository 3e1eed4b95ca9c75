import SE3Core
import SE3Tensor

/// Differentiable CG tensor products (seed eq. 2, 6, 7, 9–10) on the tape, with hand-written
/// forward and backward kernels (`TensorProductKernel`) over the non-zero CG entries of a
/// `TensorProductPlan`.
///
/// Shapes (rows in the plan's layout; `D_in, D_f, D_out` = `irreps….dim`, `W` = `weightsPerEdge`):
///
///     input   [N, D_in] (any shape [N, …] with D_in values per row, e.g. [N, M, C])
///             node features (rows picked by `sources`; without `sources`, N = E)
///     filter  [E, D_f]       edge spherical harmonics Y(r̂_e)
///     weights [R, W] (any [R, …]) for `.perEdge`: row `weightRows[e]` (or `e` without
///             `weightRows`, then R = E) serves edge e; [W] (any shape of W values) for `.shared`
///     output  [rows] + plan.outputRowShape
///
/// `weightRows` lets edges share a weight row: TFN evaluates its radial network once per atom
/// pair, and both directed edges of the pair read the same row (their gradients add up).
/// Gradients flow to all three inputs (each only if it requires one).
public enum TensorProduct {
    /// Per-edge product (no aggregation), `[E] + outputRowShape`:
    /// `out[e] = TP(input[sources[e]], filter[e], weights[row(e)])`; with `sources == nil` the
    /// input already has one row per edge. The SE(3)-Transformer's value/key messages use this.
    public static func edges<T>(_ plan: TensorProductPlan, input: Variable<T>, sources: [Int32]?,
                                filter: Variable<T>, weights: Variable<T>, weightRows: [Int32]? = nil) -> Variable<T> {
        let e = filter.shape.first ?? 0
        return run(plan, input: input, sources: sources, filter: filter, weights: weights, weightRows: weightRows,
                   destinations: nil, outputRows: e, scale: 1)
    }

    /// Fused convolution (gather, product, scatter-sum), `[nodeCount] + outputRowShape`:
    /// `out[i] = scale · Σ_{e: destinations[e] = i} TP(input[sources[e]], filter[e], weights[row(e)])`.
    public static func convolution<T>(_ plan: TensorProductPlan, input: Variable<T>, sources: [Int32],
                                      destinations: [Int32], nodeCount: Int,
                                      filter: Variable<T>, weights: Variable<T>, weightRows: [Int32]? = nil,
                                      scale: T) -> Variable<T> {
        run(plan, input: input, sources: sources, filter: filter, weights: weights, weightRows: weightRows,
            destinations: destinations, outputRows: nodeCount, scale: scale)
    }

    static func run<T>(_ plan: TensorProductPlan, input: Variable<T>, sources: [Int32]?,
                       filter: Variable<T>, weights: Variable<T>, weightRows: [Int32]?, destinations: [Int32]?,
                       outputRows: Int, scale: T) -> Variable<T> {
        let dIn = plan.inputDimension, dF = plan.filterDimension, W = plan.weightsPerEdge
        require(filter.rank == 2 && filter.shape[1] == dF,
                "TensorProduct: filter shape \(filter.shape), expected [E, \(dF)] for \(plan.irrepsFilter)")
        let E = filter.shape[0]
        let inRows = input.shape.first ?? 0
        require(input.rank >= 2 && input.count == inRows * dIn,
                "TensorProduct: input shape \(input.shape), expected [N, \(dIn)] for \(plan.irrepsIn)")
        let shared = plan.weightSharing == .shared
        let weightRowCount = shared ? 1 : (weights.shape.first ?? 0)
        require(weights.count == weightRowCount * W && (shared || weights.rank >= 2 || W == 0),
                "TensorProduct: weights shape \(weights.shape), expected \(shared ? "[\(W)]" : "[rows, \(W)]") for \(plan.pathCount) paths")
        if let weightRows {
            require(!shared, "TensorProduct: weight rows given for shared weights")
            require(weightRows.count == E, "TensorProduct: \(weightRows.count) weight rows for \(E) edges")
            require(weightRows.allSatisfy { $0 >= 0 && Int($0) < weightRowCount },
                    "TensorProduct: weight row out of range 0..<\(weightRowCount)")
        } else if !shared {
            require(weightRowCount == E, "TensorProduct: \(weightRowCount) weight rows for \(E) edges and no weightRows")
        }
        if let sources {
            require(sources.count == E, "TensorProduct: \(sources.count) sources for \(E) edges")
            require(sources.allSatisfy { $0 >= 0 && Int($0) < inRows }, "TensorProduct: source index out of range 0..<\(inRows)")
        } else {
            require(inRows == E, "TensorProduct: input has \(inRows) rows for \(E) edges and no sources")
        }
        if let destinations {
            require(destinations.count == E, "TensorProduct: \(destinations.count) destinations for \(E) edges")
            require(destinations.allSatisfy { $0 >= 0 && Int($0) < outputRows },
                    "TensorProduct: destination index out of range 0..<\(outputRows)")
        }
        let kernel = TensorProductKernel<T>(plan: plan)
        let xv = input.value, yv = filter.value, wv = weights.value
        let threads = effectiveThreads(edges: E)
        var out = Tensor<T>(zeros: [outputRows] + plan.outputRowShape)
        if E > 0 {
            withIndexPointers(sources, destinations, weightRows) { src, dst, wrow in
                xv.scalars.withUnsafeBufferPointer { px in
                yv.scalars.withUnsafeBufferPointer { py in
                wv.scalars.withUnsafeBufferPointer { pw in
                out.scalars.withUnsafeMutableBufferPointer { po in
                    // rows of `out` are shared between edge chunks when scattering
                    parallelChunks(edges: E, threads: threads, outputs: [(po.baseAddress!, po.count, dst != nil)]) { r, o in
                        kernel.forward(x: px.baseAddress!, src: src, y: py.baseAddress!, w: pw.baseAddress ?? UnsafePointer(po.baseAddress!),
                                       wrow: wrow, sharedWeights: shared, edges: r, out: o[0]!, dst: dst, scale: scale)
                    }
                }}}}
            }
        }
        let needX = input.requiresGrad, needY = filter.requiresGrad, needW = weights.requiresGrad
        let xShape = input.shape, yShape = filter.shape, wShape = weights.shape
        // trilinear in (input, filter, weights): one product per input that carries a tangent
        let rule: Tape<T>.ForwardRule = { v, _, t in
            sumOfTangents([
                t[0].map { run(plan, input: $0, sources: sources, filter: v[1], weights: v[2], weightRows: weightRows,
                               destinations: destinations, outputRows: outputRows, scale: scale) },
                t[1].map { run(plan, input: v[0], sources: sources, filter: $0, weights: v[2], weightRows: weightRows,
                               destinations: destinations, outputRows: outputRows, scale: scale) },
                t[2].map { run(plan, input: v[0], sources: sources, filter: v[1], weights: $0, weightRows: weightRows,
                               destinations: destinations, outputRows: outputRows, scale: scale) },
            ])
        }
        return input.tape.custom(value: out, inputs: [input, filter, weights], forward: rule) { g in
            var gx = needX ? Tensor<T>(zeros: xShape) : nil
            var gy = needY ? Tensor<T>(zeros: yShape) : nil
            var gw = needW ? Tensor<T>(zeros: wShape) : nil
            guard E > 0 else { return [gx, gy, gw] }
            withIndexPointers(sources, destinations, weightRows) { src, dst, wrow in
                xv.scalars.withUnsafeBufferPointer { px in
                yv.scalars.withUnsafeBufferPointer { py in
                wv.scalars.withUnsafeBufferPointer { pw in
                g.scalars.withUnsafeBufferPointer { pg in
                withOptionalMutablePointer(&gx) { pgx in
                withOptionalMutablePointer(&gy) { pgy in
                withOptionalMutablePointer(&gw) { pgw in
                    // ∂x rows are shared when gathering, ∂w rows when shared or indexed; ∂Y rows are per edge
                    let outputs: [(UnsafeMutablePointer<T>?, Int, Bool)] = [
                        (pgx, xShape.reduce(1, *), src != nil),
                        (pgy, yShape.reduce(1, *), false),
                        (pgw, wShape.reduce(1, *), shared || wrow != nil),
                    ]
                    parallelChunks(edges: E, threads: threads, outputs: outputs) { r, o in
                        kernel.backward(x: px.baseAddress!, src: src, y: py.baseAddress!,
                                        w: pw.baseAddress ?? UnsafePointer(pg.baseAddress!), wrow: wrow,
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
func withIndexPointers<R>(_ a: [Int32]?, _ b: [Int32]?, _ c: [Int32]?,
                          _ body: (UnsafePointer<Int32>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R) -> R {
    func withOne<S>(_ x: [Int32]?, _ f: (UnsafePointer<Int32>?) -> S) -> S {
        guard let x, !x.isEmpty else { return f(nil) }
        return x.withUnsafeBufferPointer { f($0.baseAddress!) }
    }
    return withOne(a) { pa in withOne(b) { pb in withOne(c) { pc in body(pa, pb, pc) } } }
}

/// Calls `body` with the mutable base pointer of an optional tensor (nil when absent or empty).
@inline(__always)
func withOptionalMutablePointer<T, R>(_ t: inout Tensor<T>?, _ body: (UnsafeMutablePointer<T>?) -> R) -> R {
    guard t != nil, t!.count > 0 else { return body(nil) }
    return t!.scalars.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
}

