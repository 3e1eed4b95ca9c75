import SE3Math
import SE3Tensor
import Foundation
import XCTest

final class MatmulTests: XCTestCase {
    /// Naive triple loop C[i,j] = Σ_l op(A)[i,l] op(B)[l,j] in Double.
    func naive<T: TensorScalar>(_ a: Tensor<T>, _ b: Tensor<T>, _ ta: Bool, _ tb: Bool) -> [Double] {
        let m = ta ? a.shape[1] : a.shape[0], k = ta ? a.shape[0] : a.shape[1]
        let n = tb ? b.shape[0] : b.shape[1]
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for l in 0..<k {
                    let x = ta ? a[l, i] : a[i, l]
                    let y = tb ? b[j, l] : b[l, j]
                    s += Double(x) * Double(y)
                }
                c[i * n + j] = s
            }
        }
        return c
    }

    let shapes: [(m: Int, k: Int, n: Int)] = [(1, 1, 1), (3, 4, 5), (7, 1, 2), (16, 33, 9), (2, 64, 1), (0, 3, 4), (3, 0, 4)]

    func testForwardMatchesTripleLoopDoubleAndFloat() {
        var seed: UInt64 = 1
        for (m, k, n) in shapes {
            for ta in [false, true] {
                for tb in [false, true] {
                    seed += 2
                    let a = randomTensor(ta ? [k, m] : [m, k], seed: seed)
                    let b = randomTensor(tb ? [n, k] : [k, n], seed: seed + 1)
                    let c = matmul(a, b, transposeA: ta, transposeB: tb)
                    XCTAssertEqual(c.shape, [m, n])
                    let ref = naive(a, b, ta, tb)
                    for (x, y) in zip(c.scalars, ref) { XCTAssertEqual(x, y, accuracy: 1e-12) }

                    let af = a.converted(to: Float.self), bf = b.converted(to: Float.self)
                    let cf = matmul(af, bf, transposeA: ta, transposeB: tb)
                    let reff = naive(af, bf, ta, tb)
                    for (x, y) in zip(cf.scalars, reff) { XCTAssertEqual(Double(x), y, accuracy: 1e-4 * Double(max(1, k))) }
                }
            }
        }
    }

    func testTransposeForward() {
        let a = Tensor<Double>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(transpose(a), Tensor(shape: [3, 2], scalars: [1, 4, 2, 5, 3, 6]))
    }

    func testMatmulGradientsAllTransposesAndShapes() {
        var seed: UInt64 = 100
        for (m, k, n) in [(1, 1, 1), (3, 4, 5), (5, 2, 1), (4, 6, 3)] {
            for ta in [false, true] {
                for tb in [false, true] {
                    seed += 2
                    let a = randomTensor(ta ? [k, m] : [m, k], seed: seed)
                    let b = randomTensor(tb ? [n, k] : [k, n], seed: seed + 1)
                    let err = GradientCheck.check(inputs: [a, b]) { tape, v in
                        weightedSum(tape, matmul(v[0], v[1], transposeA: ta, transposeB: tb))
                    }
                    XCTAssertLessThan(err, gradTolerance, "m=\(m) k=\(k) n=\(n) ta=\(ta) tb=\(tb)")
                }
            }
        }
    }

    func testMatmulWithConstantOperandGivesGradientOnlyToVariable() {
        let tape = Tape<Double>()
        let a = tape.constant(randomTensor([3, 4], seed: 1))
        let b = tape.variable(randomTensor([4, 2], seed: 2))
        tape.backward(sum(matmul(a, b)))
        XCTAssertNil(tape.gradient(a))
        // ∂/∂B Σ_ij (AB)_ij = Aᵀ 1: every column of the gradient is the row sums of Aᵀ.
        let g = tape.gradient(b)!
        for l in 0..<4 {
            let colSum = (0..<3).reduce(0.0) { $0 + a.value[$1, l] }
            XCTAssertEqual(g[l, 0], colSum, accuracy: 1e-12)
            XCTAssertEqual(g[l, 1], colSum, accuracy: 1e-12)
        }
    }
}

final class BatchedMatmulTests: XCTestCase {
    func testForwardMatchesPerBatchMatmulSmallAndLarge() {
        var seed: UInt64 = 500
        for (bsz, m, k, n) in [(3, 2, 3, 4), (2, 20, 17, 16), (4, 1, 5, 1)] {
            for ta in [false, true] {
                for tb in [false, true] {
                    seed += 2
                    let a = randomTensor(ta ? [bsz, k, m] : [bsz, m, k], seed: seed)
                    let b = randomTensor(tb ? [bsz, n, k] : [bsz, k, n], seed: seed + 1)
                    let c = batchedMatmul(a, b, transposeA: ta, transposeB: tb)
                    XCTAssertEqual(c.shape, [bsz, m, n])
                    for s in 0..<bsz {
                        let asl = Tensor(shape: Array(a.shape.dropFirst()), scalars: Array(a.scalars[(s * m * k)..<((s + 1) * m * k)]))
                        let bsl = Tensor(shape: Array(b.shape.dropFirst()), scalars: Array(b.scalars[(s * k * n)..<((s + 1) * k * n)]))
                        let ref = matmul(asl, bsl, transposeA: ta, transposeB: tb)
                        for (x, y) in zip(c.scalars[(s * m * n)..<((s + 1) * m * n)], ref.scalars) {
                            XCTAssertEqual(x, y, accuracy: 1e-12)
                        }
                    }
                }
            }
        }
    }

    func testGradients() {
        var seed: UInt64 = 600
        for (bsz, m, k, n) in [(3, 2, 3, 4), (2, 16, 16, 17)] {
            for ta in [false, true] {
                for tb in [false, true] {
                    seed += 2
                    let a = randomTensor(ta ? [bsz, k, m] : [bsz, m, k], seed: seed)
                    let b = randomTensor(tb ? [bsz, n, k] : [bsz, k, n], seed: seed + 1)
                    let err = GradientCheck.check(inputs: [a, b]) { tape, v in
                        weightedSum(tape, batchedMatmul(v[0], v[1], transposeA: ta, transposeB: tb))
                    }
                    XCTAssertLessThan(err, gradTolerance, "b=\(bsz) m=\(m) k=\(k) n=\(n) ta=\(ta) tb=\(tb)")
                }
            }
        }
    }
}
