import SE3Core
/// Matrix product of rank-2 tensors through the scalar's GEMM hook (OpenBLAS):
///
///     C = op(A) · op(B),  op(X) = Xᵀ if the matching `transpose` flag is set.
///
/// `op(A)` must be `[m, k]` and `op(B)` `[k, n]`; the result is `[m, n]`.
/// Empty dimensions are allowed (`k == 0` gives zeros).
@inlinable
public func matmul<T: TensorScalar>(_ a: Tensor<T>, _ b: Tensor<T>,
                                    transposeA: Bool = false, transposeB: Bool = false) -> Tensor<T> {
    require(a.rank == 2 && b.rank == 2, "matmul needs rank-2 operands, got \(a.shape) and \(b.shape)")
    let m = transposeA ? a.shape[1] : a.shape[0]
    let k = transposeA ? a.shape[0] : a.shape[1]
    let kb = transposeB ? b.shape[1] : b.shape[0]
    let n = transposeB ? b.shape[0] : b.shape[1]
    require(k == kb, "matmul inner dimensions differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
    var c = Tensor<T>(zeros: [m, n])
    if m == 0 || n == 0 || k == 0 { return c }
    a.scalars.withUnsafeBufferPointer { pa in
        b.scalars.withUnsafeBufferPointer { pb in
            c.scalars.withUnsafeMutableBufferPointer { pc in
                T.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                       alpha: 1, a: pa.baseAddress!, lda: max(1, a.shape[1]),
                       b: pb.baseAddress!, ldb: max(1, b.shape[1]),
                       beta: 0, c: pc.baseAddress!, ldc: max(1, n))
            }
        }
    }
    return c
}

/// The transpose of a rank-2 tensor.
@inlinable
public func transpose<T: TensorScalar>(_ a: Tensor<T>) -> Tensor<T> {
    require(a.rank == 2, "transpose needs a rank-2 tensor, got \(a.shape)")
    let n = a.shape[0], m = a.shape[1]
    var out = Tensor<T>(zeros: [m, n])
    a.scalars.withUnsafeBufferPointer { pa in
        out.scalars.withUnsafeMutableBufferPointer { po in
            for i in 0..<n {
                for j in 0..<m { po[j * n + i] = pa[i * m + j] }
            }
        }
    }
    return out
}
