import SE3Math
import SE3Tensor
import XCTest

/// Forward mode on the tape (`Tape.tangents(seeds:)`): tangents equal central differences of
/// the function along the seed direction, and — recorded with differentiable ops — their own
/// gradients (reverse over forward, a mixed second derivative) equal finite differences. Double.
final class TangentTests: XCTestCase {
    /// A function of `x` `[4, 3]` and `p` `[3, 3]` through every op with a forward rule.
    static func composite(_ tape: Tape<Double>, _ x: Variable<Double>, _ p: Variable<Double>) -> Variable<Double> {
        let a = matmul(x, p)                                           // [4, 3]
        let b = silu(a, scale: 1.3) + sigmoid(a) * tanh(x) - softplus(x) / (square(a) + 1.5)
        let c = exp(scaled(a, by: 0.3)) + log(square(x) + 1) + sqrt(square(a) + 2) + abs(a) + relu(x) + reciprocal(square(x) + 2)
        let d = concat([slice(b, axis: 1, range: 0..<2), reshape(transpose(c), [4, 3])], axis: 1)   // [4, 5]
        let rows = gatherRows(d, indices: [3, 0, 2, 2, 1])                                  // [5, 5]
        let seg = segmentMean(rows, segments: [0, 1, 1, 0, 1], count: 2)                    // [2, 5]
        let scattered = scatterAddRows(seg, indices: [1, 0], count: 2)
        let v = addRowVector(mulRowVector(scattered, sum(p, axis: 0).reshaped([3]).gatherRows([0, 1, 2, 0, 1])), sum(x, axis: 0).gatherRows([2, 1, 0, 0, 1]))
        let w = addColumn(mulColumn(v, mean(p, axis: 1).gatherRows([0, 2])), sum(x, axis: 1).gatherRows([1, 3]))
        return sum(w * w) + mean(matmul(x, p, transposeA: false, transposeB: true)) + sum(-(a - silu(x)))
    }

    func testTangentsMatchDirectionalDifferences() {
        var rng = SeededGenerator(seed: 3)
        let x0 = Tensor<Double>.randomNormal(shape: [4, 3], using: &rng), p0 = Tensor<Double>.randomNormal(shape: [3, 3], using: &rng)
        let dx = Tensor<Double>.randomNormal(shape: [4, 3], using: &rng), dp = Tensor<Double>.randomNormal(shape: [3, 3], using: &rng)
        let tape = Tape<Double>()
        let x = tape.variable(x0), p = tape.constant(p0)
        let y = Self.composite(tape, x, p)
        let t = tape.tangents(seeds: [(x, dx), (p, dp)])
        let h = 1e-6
        func f(_ s: Double) -> Double {
            let tp = Tape<Double>()
            return Self.composite(tp, tp.constant(x0 + dx * s), tp.constant(p0 + dp * s)).scalar
        }
        let numeric = (f(h) - f(-h)) / (2 * h)
        let analytic = t[y]!.scalar
        XCTAssertGreaterThan(abs(numeric), 1e-3)
        XCTAssertEqual(analytic, numeric, accuracy: 1e-7 * max(1, abs(numeric)))
        XCTAssertNil(t[tape.constant(p0)], "a node recorded after the walk has no tangent")
    }

    /// ∇_{x,p} of the directional derivative along ẋ (both primal inputs differentiated through
    /// the tangent ops).
    func testGradientsOfTangentsMatchFiniteDifferences() {
        var rng = SeededGenerator(seed: 5)
        let x0 = Tensor<Double>.randomNormal(shape: [4, 3], using: &rng), p0 = Tensor<Double>.randomNormal(shape: [3, 3], using: &rng)
        let dx = Tensor<Double>.randomNormal(shape: [4, 3], using: &rng)
        let err = GradientCheck.check(inputs: [x0, p0]) { tape, v in
            let y = Self.composite(tape, v[0], v[1])
            return tape.tangents(seeds: [(v[0], dx)])[y]!
        }
        XCTAssertLessThan(err, 1e-6)
    }

    func testZeroTangentWhereTheSeedDoesNotReach() {
        let tape = Tape<Double>()
        let x = tape.variable(Tensor(shape: [2], scalars: [1, 2])), z = tape.variable(Tensor(shape: [2], scalars: [3, 4]))
        let y = sum(z * z)
        let t = tape.tangents(seeds: [(x, Tensor(shape: [2], scalars: [1, 1]))])
        XCTAssertNil(t[y])
        XCTAssertEqual(t[x]?.value.scalars, [1, 1])
    }
}
