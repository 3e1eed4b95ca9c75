import SE3Core
import SE3Math
import SE3Tensor

extension SphereMLP.Kernel {
    /// Gradients for `inputs + params`, chunk by chunk (the forward values are recomputed).
    func backward(_ values: [Tensor<T>], gradient g: Tensor<T>, needInputs: [Bool]) -> [Tensor<T>?] {
        var gx: [[T]] = widths.enumerated().map { i, c in needInputs[i] ? [T](repeating: 0, count: N * K * c) : [] }
        var gp: [[T]] = params.map { [T](repeating: 0, count: $0.count) }
        let L = layerCount, dl = dims[L - 1], dout = dims[L], cin = dims[0], w1 = dims[1]
        withInputs(values) { xs in
            g.scalars.withUnsafeBufferPointer { pg in
                var a0 = 0
                while a0 < N {
                    let n = min(chunk, N - a0), rows = P * n
                    let f = Buffers(self, n: n)
                    defer { f.free() }
                    layersForward(xs, atoms: a0..<(a0 + n), f)
                    var d1 = f.d1, d2 = f.d2
                    // the last layer, after the reduction
                    for q in 0..<Q { for j in 0..<n {
                        (d1 + (q * n + j) * dout).update(from: pg.baseAddress! + ((a0 + j) * Q + q) * dout, count: dout)
                    } }
                    let sl = 1 / T(dl).squareRoot()
                    gp[weightIndex[L - 1]].withUnsafeMutableBufferPointer { pw in
                        T.gemm(transposeA: true, transposeB: false, m: dl, n: dout, k: Q * n, alpha: sl, a: f.r, lda: dl, b: d1,
                               ldb: dout, beta: 1, c: pw.baseAddress!, ldc: dout)
                    }
                    if let bi = biasIndex[L - 1] {
                        gp[bi].withUnsafeMutableBufferPointer { pb in
                            for q in 0..<Q { for j in 0..<n { let row = d1 + (q * n + j) * dout; for c in 0..<dout { pb[c] += bRowSums[q] * row[c] } } }
                        }
                    }
                    T.gemm(transposeA: false, transposeB: true, m: Q * n, n: dl, k: dout, alpha: sl, a: d1, lda: dout, b: weight(L - 1),
                           ldb: dout, beta: 0, c: d2, ldc: dl)
                    b.withUnsafeBufferPointer { pb in           // ∂h_{L−1} = Bᵀ ∂r
                        T.gemm(transposeA: true, transposeB: false, m: P, n: n * dl, k: Q, alpha: 1, a: pb.baseAddress!, lda: P,
                               b: d2, ldb: n * dl, beta: 0, c: d1, ldc: n * dl)
                    }
                    // the hidden layers on the grid
                    for j in stride(from: L - 1, through: 1, by: -1) {
                        let din = dims[j]
                        VectorMath.siluGradient(f.z[j], count: rows * din, scale: k, multiplying: d1)
                        if let bi = biasIndex[j - 1] {
                            gp[bi].withUnsafeMutableBufferPointer { pb in
                                for r in 0..<rows { let row = d1 + r * din; for c in 0..<din { pb[c] += row[c] } }
                            }
                        }
                        guard j >= 2 else { break }
                        let dprev = dims[j - 1], s = 1 / T(dprev).squareRoot()
                        gp[weightIndex[j - 1]].withUnsafeMutableBufferPointer { pw in
                            T.gemm(transposeA: true, transposeB: false, m: dprev, n: din, k: rows, alpha: s, a: f.h[j - 1], lda: dprev,
                                   b: d1, ldb: din, beta: 1, c: pw.baseAddress!, ldc: din)
                        }
                        T.gemm(transposeA: false, transposeB: true, m: rows, n: dprev, k: din, alpha: s, a: d1, lda: din,
                               b: weight(j - 1), ldb: din, beta: 0, c: d2, ldc: dprev)
                        swap(&d1, &d2)
                    }
                    // the first layer, in coefficient space: ∂c = transpose(Aᵀ ∂z₁)
                    a.withUnsafeBufferPointer { pa in
                        T.gemm(transposeA: true, transposeB: false, m: K, n: n * w1, k: P, alpha: 1, a: pa.baseAddress!, lda: K,
                               b: d1, ldb: n * w1, beta: 0, c: f.ct, ldc: n * w1)
                    }
                    for j in 0..<n { for kk in 0..<K { (f.c + (j * K + kk) * w1).update(from: f.ct + (kk * n + j) * w1, count: w1) } }
                    let s0 = 1 / T(cin).squareRoot()
                    var offset = 0
                    for (i, x) in xs.enumerated() {
                        let ci = widths[i]
                        gp[weightIndex[0]].withUnsafeMutableBufferPointer { pw in
                            T.gemm(transposeA: true, transposeB: false, m: ci, n: w1, k: n * K, alpha: s0, a: x + a0 * K * ci, lda: ci,
                                   b: f.c, ldb: w1, beta: 1, c: pw.baseAddress! + offset * w1, ldc: w1)
                        }
                        if needInputs[i] {
                            gx[i].withUnsafeMutableBufferPointer { px in
                                T.gemm(transposeA: false, transposeB: true, m: n * K, n: ci, k: w1, alpha: s0, a: f.c, lda: w1,
                                       b: weight(0) + offset * w1, ldb: w1, beta: 1, c: px.baseAddress! + a0 * K * ci, ldc: ci)
                            }
                        }
                        offset += ci
                    }
                    a0 += n
                }
            }
        }
        var out: [Tensor<T>?] = widths.enumerated().map { i, c in needInputs[i] ? Tensor(shape: [N, K, c], scalars: gx[i]) : nil }
        for (i, p) in gp.enumerated() { out.append(Tensor(shape: paramShapes[i], scalars: p)) }
        return out
    }
}
