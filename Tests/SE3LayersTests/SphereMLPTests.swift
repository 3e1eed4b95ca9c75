import XCTest
import SE3Math
import SE3Tensor
import SE3Layers

/// The fused point-wise MLP on the sphere equals the same map from separate tape ops (grid
/// values, dense layers, k·SiLU, reduction), values and gradients, across chunks; two inputs
/// concatenated along channels, biases on some layers.
final class SphereMLPTests: XCTestCase {
    func testFusedEqualsComposition() throws {
        var g = SeededGenerator(seed: 141)
        let L = 2, K = (L + 1) * (L + 1), C = 3, N = 200           // chunks of 2048 / 28 = 73 atoms
        let grid = try SphereGrid(coefficients: SphereGrid.nodeCoefficients(lmax: L), latitudes: 4, longitudes: 7)
        let store = ParameterStore<Double>()
        let layers = [try Dense(store: store, name: "a", inputs: 2 * C, outputs: 4, bias: true, rng: &g),
                      try Dense(store: store, name: "b", inputs: 4, outputs: 5, bias: false, rng: &g),
                      try Dense(store: store, name: "c", inputs: 5, outputs: 2, bias: true, rng: &g)]
        for i in 0..<store.count where store.values[i] == 0 { store.values[i] = 0.3 * g.nextGaussian() }
        let x = Tensor<Double>.randomNormal(shape: [N, K, C], using: &g), m = Tensor<Double>.randomNormal(shape: [N, K, C], using: &g)
        for (reduction, Q) in [(grid.fromGrid, K), ((0..<grid.points).map { _ in g.nextGaussian() }, 1)] {
            let op = SphereMLP(layers: layers, sampling: grid.toGrid, points: grid.points, coefficients: K, reduction: reduction,
                               outputs: Q)
            let probe = Tensor<Double>.randomNormal(shape: [N, Q, 2], using: &g)
            let k = ActivationNormalization.silu
            func composed(_ a: Variable<Double>, _ b: Variable<Double>) -> Variable<Double> {
                let t = a.tape, P = grid.points
                var u = reshape(concat([grid.values(a), grid.values(b)], axis: 2), [N * P, 2 * C])
                for (j, l) in layers.enumerated() { u = l(u); if j < 2 { u = silu(u, scale: k) } }
                // out[a, q] = Σ_p B[q, p] u[a, p]
                let perAtom = reshape(u, [N, P * 2])
                var cols: [Variable<Double>] = []
                for q in 0..<Q {
                    var w = Tensor<Double>(zeros: [P * 2, 2])
                    for p in 0..<P { for c in 0..<2 { w[p * 2 + c, c] = reduction[q * P + p] } }
                    cols.append(reshape(matmul(perAtom, t.constant(w)), [N, 1, 2]))
                }
                return concat(cols, axis: 1)
            }
            var results: [[Tensor<Double>]] = []
            for f in [composed, { op([$0, $1]) }] as [(Variable<Double>, Variable<Double>) -> Variable<Double>] {
                store.zeroGrads()
                let tape = Tape<Double>(store: store)
                let vx = tape.variable(x), vm = tape.variable(m)
                let out = f(vx, vm)
                tape.backward(LT.probe(out, probe))
                results.append([out.value, tape.gradient(vx)!, tape.gradient(vm)!, Tensor(shape: [store.count], scalars: store.grads)])
            }
            XCTAssertGreaterThan(results[0][0].scalars.map(Swift.abs).max()!, 0.1)
            for i in 0..<4 { XCTAssertLessThan(LT.relDiff(results[1][i], results[0][i]), 1e-12, "\(i), Q \(Q)") }
        }
    }
}
