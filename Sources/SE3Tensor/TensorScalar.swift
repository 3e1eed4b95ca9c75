import CBLAS
import Numerics

/// The scalar types a `Tensor` can hold: `Float` (training) and `Double` (tests,
/// gradient checks). Besides the arithmetic of `Real` (swift-numerics) and `SIMDScalar` (so
/// kernels use `SIMD8<T>` registers generically) a scalar provides the BLAS level-3 hook used
/// by `matmul`:
///
///     C = alpha * op(A) * op(B) + beta * C,   op(X) = X or Xᵀ
///
/// with row-major `A` (`m×k` after `op`), `B` (`k×n` after `op`), `C` (`m×n`)
/// and leading dimensions `lda`, `ldb`, `ldc` (row strides of the stored
/// matrices). Implemented with `cblas_sgemm` / `cblas_dgemm` (OpenBLAS).
public protocol TensorScalar: BinaryFloatingPoint, Real, Codable, Sendable, SIMDScalar {
    static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                     alpha: Self, a: UnsafePointer<Self>, lda: Int,
                     b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
}

@inline(__always) @usableFromInline
func cblasTranspose(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

extension Float: TensorScalar {
    @inlinable
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                            alpha: Float, a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, cblasTranspose(transposeA), cblasTranspose(transposeB),
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
                    beta, c, blasint(ldc))
    }
}

extension Double: TensorScalar {
    @inlinable
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                            alpha: Double, a: UnsafePointer<Double>, lda: Int,
                            b: UnsafePointer<Double>, ldb: Int,
                            beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, cblasTranspose(transposeA), cblasTranspose(transposeB),
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
                    beta, c, blasint(ldc))
    }
}
