/// Differentiable matrix product `C = op(A)·op(B)` (OpenBLAS GEMM both ways).
///
/// Backward (G = ∂L/∂C), each again one GEMM:
///   A not transposed: ∂A = G·op(B)ᵀ;  A transposed: ∂A = op(B)·Gᵀ
///   B not transposed: ∂B = op(A)ᵀ·G;  B transposed: ∂B = Gᵀ·op(A)
@inlinable
public func matmul<T>(_ a: Variable<T>, _ b: Variable<T>,
                      transposeA: Bool = false, transposeB: Bool = false) -> Variable<T> {
    let av = a.value, bv = b.value
    let needA = a.requiresGrad, needB = b.requiresGrad
    let y = matmul(av, bv, transposeA: transposeA, transposeB: transposeB)
    return a.tape.custom(value: y, inputs: [a, b]) { g in
        var ga: Tensor<T>?
        var gb: Tensor<T>?
        if needA {
            ga = transposeA ? matmul(bv, g, transposeA: transposeB, transposeB: true)
                            : matmul(g, bv, transposeA: false, transposeB: !transposeB)
        }
        if needB {
            gb = transposeB ? matmul(g, av, transposeA: true, transposeB: transposeA)
                            : matmul(av, g, transposeA: !transposeA, transposeB: false)
        }
        return [ga, gb]
    }
}
