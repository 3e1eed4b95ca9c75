import Dispatch
import SE3Tensor

extension TensorProduct {
    /// Threads used by the tensor-product kernels (default 1). Edges are split into
    /// `threads` contiguous chunks run with `DispatchQueue.concurrentPerform`; outputs indexed
    /// by node (scatter to destinations, ∂x gathered from sources, shared ∂w) are accumulated in
    /// private per-thread buffers and summed afterwards, so results do not depend on scheduling
    /// (they depend on `threads` only through the floating-point summation order). Keep 1 when
    /// every core already runs an MPI rank. Set once at start-up (not synchronised).
    nonisolated(unsafe) public static var threads: Int = 1

    /// Minimum edges per chunk worth a thread.
    static let minimumEdgesPerThread = 2048

    static func effectiveThreads(edges: Int) -> Int {
        max(1, min(threads, edges / minimumEdgesPerThread))
    }
}

/// Runs `body(range, outputs)` over `threads` contiguous chunks of `0..<edges`. Each output is
/// `(pointer, count, needsPrivateCopy)`; chunks other than the first get a private zeroed
/// buffer for outputs that need one (added into the real output at the end) and the real
/// pointer otherwise. A nil pointer stays nil.
func parallelChunks<T: TensorScalar>(edges: Int, threads: Int,
                                     outputs: [(UnsafeMutablePointer<T>?, Int, Bool)],
                                     _ body: (Range<Int>, [UnsafeMutablePointer<T>?]) -> Void) {
    if threads <= 1 {
        body(0..<edges, outputs.map(\.0))
        return
    }
    var offsets: [Int] = []
    var privateCount = 0
    for (p, n, priv) in outputs {
        offsets.append(privateCount)
        if p != nil && priv { privateCount += n }
    }
    var scratch = [T](repeating: 0, count: privateCount * (threads - 1))
    scratch.withUnsafeMutableBufferPointer { sp in
        let base = sp.baseAddress
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let lo = edges * t / threads, hi = edges * (t + 1) / threads
            let ptrs: [UnsafeMutablePointer<T>?] = outputs.enumerated().map { i, o in
                guard let p = o.0 else { return nil }
                if t == 0 || !o.2 { return p }
                return base! + (t - 1) * privateCount + offsets[i]
            }
            body(lo..<hi, ptrs)
        }
        for (i, o) in outputs.enumerated() {
            guard let p = o.0, o.2 else { continue }
            for t in 1..<threads {
                let src = base! + (t - 1) * privateCount + offsets[i]
                for j in 0..<o.1 { p[j] += src[j] }
            }
        }
    }
}
