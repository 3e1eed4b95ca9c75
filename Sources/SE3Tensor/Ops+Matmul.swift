/// Differentiable matrix product `C = op(A)·op(B)` (OpenBLAS GEMM both ways).
///
/// Backward (G = ∂L/∂C), each again one GEMM:
///   A not transposed: ∂A = G·op(B)ᵀ;  A transposed: ∂A = op(B)·Gᵀ
///   B not transposed: ∂B = op(A)ᵀ·G;  B transposed: ∂B = Gᵀ·op(A)
@inlinable
public func matmul<T>(_ a: Variable<T>, _ b: Variable<T>,
                      transposeA: Bool = false, transposeB: Bool = false) -> Variable<T> {
    differentiableProduct(a, b, transposeA: transposeA, transposeB: transposeB) {
        matmul($0, $1, transposeA: $2, transposeB: $3)
    }
}

/// Records `op(A)·op(B)` computed by `product` (plain or batched GEMM) with its backward pass,
/// each gradient again one `product` call:
///   A not transposed: ∂A = G·op(B)ᵀ;  A transposed: ∂A = op(B)·Gᵀ
///   B not transposed: ∂B = op(A)ᵀ·G;  B transposed: ∂B = Gᵀ·op(A)
@inlinable
func differentiableProduct<T>(_ a: Variable<T>, _ b: Variable<T>, transposeA: Bool, transposeB: Bool,
                              _ product: @escaping (Tensor<T>, Tensor<T>, Bool, Bool) -> Tensor<T>) -> Variable<T> {
    let av = a.value, bv = b.value
    let needA = a.requiresGrad, needB = b.requiresGrad
    let y = product(av, bv, transposeA, transposeB)
    return a.tape.custom(value: y, inputs: [a, b], forward: { x, _, t in
        // (AB)˙ = Ȧ B + A Ḃ, through the same differentiable product
        sumOfTangents([t[0].map { differentiableProduct($0, x[1], transposeA: transposeA, transposeB: transposeB, product) },
                       t[1].map { differentiableProduct(x[0], $0, transposeA: transposeA, transposeB: transposeB, product) }])
    }) { g in
        var ga: Tensor<T>?
        var gb: Tensor<T>?
        if needA {
            ga = transposeA ? product(bv, g, transposeB, true) : product(g, bv, false, !transposeB)
        }
        if needB {
            gb = transposeB ? product(g, av, true, transposeA) : product(av, g, !transposeA, false)
        }
        return [ga, gb]
    }
}
