import Foundation
import SE3Math
import SE3Tensor
import XCTest

final class TapeTests: XCTestCase {
    func testVariableUsedSeveralTimesAccumulates() {
        let tape = Tape<Double>()
        let x = tape.variable(Tensor(shape: [3], scalars: [1, -2, 3]))
        // y = Σ (x⊙x + 3x) → ∂y/∂x = 2x + 3
        tape.backward(sum(x * x + x * 3))
        XCTAssertEqual(tape.gradient(x)?.scalars, [5, -1, 9])
        // x + x with a shared gradient buffer must not alias.
        let t2 = Tape<Double>()
        let z = t2.variable(Tensor(shape: [2], scalars: [1, 2]))
        let w = z + z
        t2.backward(sum(w + z))
        XCTAssertEqual(t2.gradient(z)?.scalars, [3, 3])
    }

    func testConstantsGetNoGradientAndUnusedVariablesNone() {
        let tape = Tape<Double>()
        let c = tape.constant(Tensor(shape: [2], scalars: [1, 2]))
        let x = tape.variable(Tensor(shape: [2], scalars: [3, 4]))
        let unused = tape.variable(Tensor(shape: [2], scalars: [0, 0]))
        let cc = c * c
        XCTAssertFalse(cc.requiresGrad)
        let y = sum(cc * x)
        XCTAssertTrue(y.requiresGrad)
        tape.backward(y)
        XCTAssertNil(tape.gradient(c))
        XCTAssertNil(tape.gradient(cc))
        XCTAssertNil(tape.gradient(unused))
        XCTAssertEqual(tape.gradient(x)?.scalars, [1, 4])
        XCTAssertEqual(tape.gradient(y)?.scalars, [1])
    }

    func testIntermediateGradientsOnRequest() {
        let tape = Tape<Double>(retainsIntermediateGradients: true)
        let x = tape.variable(Tensor(shape: [2], scalars: [1, 2]))
        let h = x * 2
        tape.backward(sum(square(h)))
        XCTAssertEqual(tape.gradient(h)?.scalars, [4, 8])     // 2h
        XCTAssertEqual(tape.gradient(x)?.scalars, [8, 16])
    }

    func testBackwardWithSeed() {
        let tape = Tape<Double>()
        let x = tape.variable(Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        let y = x * 3
        tape.backward(y, seed: Tensor(shape: [2, 2], scalars: [1, 0, 0, 2]))
        XCTAssertEqual(tape.gradient(x)?.scalars, [3, 0, 0, 6])
    }

    func testCustomOp() {
        // Custom cube op with a hand-written backward, checked by finite differences.
        func cube(_ v: Variable<Double>) -> Variable<Double> {
            let x = v.value
            return v.tape.custom(value: x.map { $0 * $0 * $0 }, inputs: [v]) { g in
                [g * x.map { 3 * $0 * $0 }]
            }
        }
        let err = GradientCheck.check(inputs: [randomTensor([3, 2], seed: 1)]) { tape, v in
            weightedSum(tape, cube(v[0]))
        }
        XCTAssertLessThan(err, gradTolerance)
        // A custom op whose backward returns nil for one input passes nothing to it.
        let tape = Tape<Double>()
        let a = tape.variable(Tensor(shape: [1], scalars: [2]))
        let b = tape.variable(Tensor(shape: [1], scalars: [5]))
        let y = tape.custom(value: a.value * b.value, inputs: [a, b]) { g in [g * b.value, nil] }
        tape.backward(sum(y))
        XCTAssertEqual(tape.gradient(a)?.scalars, [5])
        XCTAssertNil(tape.gradient(b))
    }

    func testGradientCheckDetectsAWrongGradient() {
        // The checker must fail on a wrong backward (2x instead of 3x² for x³).
        let err = GradientCheck.check(inputs: [Tensor(shape: [2], scalars: [1.5, -2])]) { tape, v in
            let x = v[0].value
            return sum(tape.custom(value: x.map { $0 * $0 * $0 }, inputs: [v[0]]) { g in [g * x.map { 2 * $0 }] })
        }
        XCTAssertGreaterThan(err, 0.1)
    }
}
