import SE3Core
import SE3Math
import SE3Tensor

extension SphereMLP {
    /// The op's constants and loops. Both linear ends are moved to where they are cheaper: the
    /// first layer acts on the coefficients before sampling (`A (X W₁) = (A X) W₁`, `K < P`), the
    /// last after the reduction (`B (H W_L + b) = (B H) W_L + (B 1) b`). Grid values are laid out
    /// point-major, row `p · n + a` for the `n` atoms of a chunk, so that sampling and reduction are
    /// one GEMM each per chunk.
    final class Kernel<T: TensorScalar> {
        let P: Int, K: Int, Q: Int, N: Int, chunk: Int
        let widths: [Int]
        /// Layer `j` maps `dims[j]` to `dims[j + 1]` channels.
        let dims: [Int]
        let a: [T], b: [T]
        /// `Σ_p B[q, p]` (the last layer's bias after the reduction).
        let bRowSums: [T]
        /// Parameter values in op-input order (per layer: weight, then bias if any), copied.
        let params: [UnsafeMutableBufferPointer<T>]
        let weightIndex: [Int], biasIndex: [Int?]
        let paramShapes: [[Int]]
        let k = T(ActivationNormalization.silu)

        init(_ op: SphereMLP, params: [[T]], widths: [Int], nodes: Int) {
            P = op.points; K = op.coefficients; Q = op.outputs; N = nodes
            self.widths = widths
            dims = [op.inputWidth] + op.layers.map { $0.weight.shape[1] }
            a = op.sampling.map { T($0) }
            b = op.reduction.map { T($0) }
            bRowSums = (0..<op.outputs).map { q in T((0..<op.points).reduce(0.0) { $0 + op.reduction[q * op.points + $1] }) }
            self.params = params.map { v in
                let p = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, v.count))
                _ = p.initialize(from: v)
                return p
            }
            var wi: [Int] = [], bi: [Int?] = [], i = 0
            for l in op.layers {
                wi.append(i); i += 1
                if l.bias != nil { bi.append(i); i += 1 } else { bi.append(nil) }
            }
            weightIndex = wi; biasIndex = bi
            paramShapes = op.layers.flatMap { l in [l.weight.shape] + (l.bias.map { [$0.shape] } ?? []) }
            chunk = max(1, 2048 / max(1, op.points))
        }

        deinit { for p in params { p.deallocate() } }

        var layerCount: Int { dims.count - 1 }

        /// Runs `body` with pointers to every input's scalars.
        func withInputs<R>(_ xs: [Tensor<T>], _ body: ([UnsafePointer<T>]) -> R) -> R {
            func rec(_ i: Int, _ acc: [UnsafePointer<T>]) -> R {
                if i == xs.count { return body(acc) }
                return xs[i].scalars.withUnsafeBufferPointer { rec(i + 1, acc + [$0.baseAddress!]) }
            }
            return rec(0, [])
        }

        func weight(_ j: Int) -> UnsafePointer<T> { UnsafePointer(params[weightIndex[j]].baseAddress!) }

        /// Per-chunk buffers. `h[j]` `[P·n, dims[j]]` grid values entering layer `j` (`j ≥ 1`),
        /// `z[j]` its pre-activation; `c` `[n·K, dims[1]]` the first layer in coefficient space and
        /// `r` `[Q·n, dims[L−1]]` the reduction.
        struct Buffers {
            var h: [UnsafeMutablePointer<T>], z: [UnsafeMutablePointer<T>]
            var c: UnsafeMutablePointer<T>, ct: UnsafeMutablePointer<T>, r: UnsafeMutablePointer<T>
            var d1: UnsafeMutablePointer<T>, d2: UnsafeMutablePointer<T>

            init(_ kern: Kernel, n: Int) {
                let rows = kern.P * n, wide = kern.dims.max() ?? 1
                h = kern.dims.map { _ in .allocate(capacity: rows * wide) }
                z = kern.dims.map { _ in .allocate(capacity: rows * wide) }
                c = .allocate(capacity: n * kern.K * wide); ct = .allocate(capacity: n * kern.K * wide)
                r = .allocate(capacity: max(kern.Q, kern.K) * n * wide)
                d1 = .allocate(capacity: max(rows, n * max(kern.K, kern.Q)) * wide)
                d2 = .allocate(capacity: max(rows, n * max(kern.K, kern.Q)) * wide)
            }

            func free() { for p in h + z + [c, ct, r, d1, d2] { p.deallocate() } }
        }

        /// Forward through a chunk up to the reduction `r` (and `z`, `h` for the backward pass).
        func layersForward(_ xs: [UnsafePointer<T>], atoms: Range<Int>, _ f: Buffers) {
            let n = atoms.count, rows = P * n, d1 = dims[1], L = layerCount
            // first layer on the coefficients: c[(a, k), :] = Σ_i x_i[a, k] W₁[rows of i] / √C_in
            var offset = 0
            for (i, x) in xs.enumerated() {
                let ci = widths[i]
                T.gemm(transposeA: false, transposeB: false, m: n * K, n: d1, k: ci, alpha: 1 / T(dims[0]).squareRoot(),
                       a: x + atoms.lowerBound * K * ci, lda: ci, b: weight(0) + offset * d1, ldb: d1,
                       beta: i == 0 ? 0 : 1, c: f.c, ldc: d1)
                offset += ci
            }
            for j in 0..<n { for kk in 0..<K { (f.ct + (kk * n + j) * d1).update(from: f.c + (j * K + kk) * d1, count: d1) } }
            a.withUnsafeBufferPointer { pa in
                T.gemm(transposeA: false, transposeB: false, m: P, n: n * d1, k: K, alpha: 1, a: pa.baseAddress!, lda: K,
                       b: f.ct, ldb: n * d1, beta: 0, c: f.z[1], ldc: n * d1)
            }
            for j in 1..<L {
                let din = dims[j]
                if j > 1 {
                    T.gemm(transposeA: false, transposeB: false, m: rows, n: din, k: dims[j - 1], alpha: 1 / T(dims[j - 1]).squareRoot(),
                           a: f.h[j - 1], lda: dims[j - 1], b: weight(j - 1), ldb: din, beta: 0, c: f.z[j], ldc: din)
                }
                if let bi = biasIndex[j - 1] {
                    let pb = params[bi]
                    for r in 0..<rows { let row = f.z[j] + r * din; for c in 0..<din { row[c] += pb[c] } }
                }
                VectorMath.silu(f.z[j], count: rows * din, scale: k, into: f.h[j])
            }
            // the reduction of the last hidden values
            let dl = dims[L - 1]
            b.withUnsafeBufferPointer { pb in
                T.gemm(transposeA: false, transposeB: false, m: Q, n: n * dl, k: P, alpha: 1, a: pb.baseAddress!, lda: P,
                       b: f.h[L - 1], ldb: n * dl, beta: 0, c: f.r, ldc: n * dl)
            }
        }

        func forward(_ xs: [UnsafePointer<T>], atoms: Range<Int>, out: UnsafeMutablePointer<T>) {
            let n = atoms.count, L = layerCount, dl = dims[L - 1], dout = dims[L]
            let f = Buffers(self, n: n)
            defer { f.free() }
            layersForward(xs, atoms: atoms, f)
            // last layer after the reduction: o[(q, a), :] = r[(q, a), :] W_L / √d + (B 1)_q b
            T.gemm(transposeA: false, transposeB: false, m: Q * n, n: dout, k: dl, alpha: 1 / T(dl).squareRoot(), a: f.r, lda: dl,
                   b: weight(L - 1), ldb: dout, beta: 0, c: f.d1, ldc: dout)
            let bias = biasIndex[L - 1].map { params[$0] }
            for q in 0..<Q { for j in 0..<n {
                let src = f.d1 + (q * n + j) * dout, dst = out + ((atoms.lowerBound + j) * Q + q) * dout
                for c in 0..<dout { dst[c] = src[c] + (bias.map { bRowSums[q] * $0[c] } ?? 0) }
            } }
        }
    }
}
