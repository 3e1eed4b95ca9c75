import SE3Core
/// Batched matrix product of rank-3 tensors, one independent product per
/// leading index (e.g. a Wigner-D matrix per edge applied to that edge's features):
///
///     C[b] = op(A[b]) · op(B[b]),   A [B, …], B [B, …], C [B, m, n]
///
/// `op` transposes the last two dimensions when the flag is set. Large
/// per-batch products go through GEMM; small ones (m·n·k < 4096) use a direct loop.
@inlinable
public func batchedMatmul<T: TensorScalar>(_ a: Tensor<T>, _ b: Tensor<T>,
                                           transposeA: Bool = false, transposeB: Bool = false) -> Tensor<T> {
    require(a.rank == 3 && b.rank == 3 && a.shape[0] == b.shape[0],
                "batchedMatmul needs [B, …, …] operands with equal B, got \(a.shape) and \(b.shape)")
    let batch = a.shape[0]
    let (ar, ac, br, bc) = (a.shape[1], a.shape[2], b.shape[1], b.shape[2])
    let m = transposeA ? ac : ar, k = transposeA ? ar : ac
    let kb = transposeB ? bc : br, n = transposeB ? br : bc
    require(k == kb, "batchedMatmul inner dimensions differ: \(a.shape) · \(b.shape)")
    var c = Tensor<T>(zeros: [batch, m, n])
    if batch == 0 || m == 0 || n == 0 || k == 0 { return c }
    let useGEMM = m * n * k >= 4096
    a.scalars.withUnsafeBufferPointer { pa in
        b.scalars.withUnsafeBufferPointer { pb in
            c.scalars.withUnsafeMutableBufferPointer { pc in
                for s in 0..<batch {
                    let oa = s * ar * ac, ob = s * br * bc, oc = s * m * n
                    if useGEMM {
                        T.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                               alpha: 1, a: pa.baseAddress! + oa, lda: ac, b: pb.baseAddress! + ob, ldb: bc,
                               beta: 0, c: pc.baseAddress! + oc, ldc: n)
                        continue
                    }
                    // op(A)[i, l] = A[i, l] or A[l, i];  op(B)[l, j] = B[l, j] or B[j, l].
                    let (sai, sal) = transposeA ? (1, ac) : (ac, 1)
                    let (sbl, sbj) = transposeB ? (1, bc) : (bc, 1)
                    for i in 0..<m {
                        for l in 0..<k {
                            let x = pa[oa + i * sai + l * sal]
                            let rowB = ob + l * sbl
                            for j in 0..<n { pc[oc + i * n + j] += x * pb[rowB + j * sbj] }
                        }
                    }
                }
            }
        }
    }
    return c
}

/// Differentiable `batchedMatmul`; backward per batch exactly as `matmul` (`differentiableProduct`).
@inlinable
public func batchedMatmul<T>(_ a: Variable<T>, _ b: Variable<T>,
                             transposeA: Bool = false, transposeB: Bool = false) -> Variable<T> {
    differentiableProduct(a, b, transposeA: transposeA, transposeB: transposeB) {
        batchedMatmul($0, $1, transposeA: $2, transposeB: $3)
    }
}
