import SE3Math
import SE3Models
import SE3Tensor
import XCTest

/// `ConservativeForces`: F = −∂E/∂x against finite differences of the energy; the parameter
/// gradient of a loss on those forces (reverse over forward) against finite differences of the
/// loss; forces rotate with the structure and sum to zero; stress against a strained cell. Double.
final class ConservativeForcesTests: XCTestCase {
    let energy = OutputSpec(name: "energy", level: .graph, kind: .scalar, extensive: true)

    func model(lmax: Int, seed: UInt64, outputs: [OutputSpec]? = nil, readout: Readout = .sum,
               nonlinearity: TFNConfig.Nonlinearity = .gate) throws -> any GraphModel<Double> {
        var config = tfnConfig(lmax: lmax, channels: 4, layers: 2, nonlinearity: nonlinearity)
        config.common.readout = readout
        let m = try ModelFactory.make(config: config, outputs: outputs ?? [energy], seed: seed, as: Double.self)
        perturbZeroParameters(m.store, seed: seed)
        return m
    }

    func totalEnergy(_ m: any GraphModel<Double>, _ g: AtomGraph) throws -> Double {
        try runModel(m, g)["energy"]!.scalars.reduce(0, +)
    }

    func testForcesAreMinusTheEnergyGradient() throws {
        for (lmax, seed) in [(1, UInt64(1)), (2, 2), (3, 3)] {
            var rng = SeededGenerator(seed: seed)
            let g = RandomMolecules(rng: &rng, graphs: 2, atoms: 3...5, elements: [1, 6, 8]).graph
            let m = try model(lmax: lmax, seed: seed)
            let grads = try ConservativeForces.gradients(m, graph: g, energy: "energy")
            XCTAssertEqual(grads.outputs["energy"]!.scalars.reduce(0, +), try totalEnergy(m, g), accuracy: 1e-12)
            let h = 1e-5
            var worst = 0.0, largest = 0.0
            for a in 0..<g.atomCount {
                for j in 0..<3 {
                    var p = g, q = g
                    p.positions[a][j] += h
                    q.positions[a][j] -= h
                    let numeric = (try totalEnergy(m, p) - totalEnergy(m, q)) / (2 * h)
                    worst = max(worst, abs(grads.positions.scalars[3 * a + j] - numeric) / max(1, abs(numeric)))
                    largest = max(largest, abs(numeric))
                }
            }
            XCTAssertGreaterThan(largest, 1e-3, "lmax \(lmax): the energy depends on positions")
            XCTAssertLessThan(worst, 1e-7, "lmax \(lmax)")
        }
    }

    /// L(θ) = Σ_g c_g E_g + Σ_{a,j} w_aj (F_aj − y_aj)², F = −∂E/∂x: its parameter gradient from
    /// `directionalDerivative` (u = ∂L/∂F, ∇_θ L = Σ c_g ∇_θ E_g − ∇_θ Ė) against central
    /// differences of L in every parameter tensor.
    func testForceLossParameterGradientMatchesFiniteDifferences() throws {
        for (lmax, readout, nl, seed) in [(2, Readout.sum, TFNConfig.Nonlinearity.gate, UInt64(7)), (1, .mean, .norm, 8),
                                          (3, .sum, .gate, 9), (2, .sum, .norm, 10)] {
            var rng = SeededGenerator(seed: seed)
            let g = RandomMolecules(rng: &rng, graphs: 2, atoms: 3...5, elements: [1, 6, 8]).graph
            let m = try model(lmax: lmax, seed: seed, readout: readout, nonlinearity: nl)
            let A = g.atomCount
            let target = (0..<(3 * A)).map { _ in rng.nextGaussian() }
            let w = (0..<(3 * A)).map { _ in 0.5 + Double.random(in: 0..<1, using: &rng) }
            let c = (0..<g.graphCount).map { _ in rng.nextGaussian() }
            func loss() throws -> Double {
                let r = try ConservativeForces.gradients(m, graph: g, energy: "energy")
                var l = 0.0
                for i in 0..<(3 * A) { let d = -r.positions.scalars[i] - target[i]; l += w[i] * d * d }
                for k in 0..<g.graphCount { l += c[k] * r.outputs["energy"]!.scalars[k] }
                return l
            }
            let r = try ConservativeForces.gradients(m, graph: g, energy: "energy")
            let u = Tensor(shape: [A, 3], scalars: (0..<(3 * A)).map { i in 2 * w[i] * (-r.positions.scalars[i] - target[i]) })
            m.store.zeroGrads()
            let tape = Tape<Double>(store: m.store)
            let (out, dE) = try ConservativeForces.directionalDerivative(m, graph: g, energy: "energy", direction: u, tape: tape)
            let objective = sum(out["energy"]! * tape.constant(Tensor(shape: [g.graphCount, 1], scalars: c))) - sum(dE)
            tape.backward(objective)
            let analytic = m.store.grads
            XCTAssertGreaterThan(analytic.map(Swift.abs).max()!, 1e-3)
            // every parameter tensor: its first, middle and last element
            let h = 1e-5
            var worst = 0.0
            for p in m.store.parameters {
                for i in Set([p.offset, p.offset + p.count / 2, p.offset + p.count - 1]) {
                    let saved = m.store.values[i]
                    m.store.values[i] = saved + h
                    let lp = try loss()
                    m.store.values[i] = saved - h
                    let lm = try loss()
                    m.store.values[i] = saved
                    let numeric = (lp - lm) / (2 * h)
                    let err = abs(analytic[i] - numeric) / max(1, abs(numeric))
                    if err > 1e-6 { print("lmax \(lmax) \(p.name)[\(i - p.offset)]: analytic \(analytic[i]), numeric \(numeric)") }
                    worst = max(worst, err)
                }
            }
            XCTAssertLessThan(worst, 1e-6, "lmax \(lmax), readout \(readout), \(nl)")
        }
    }

    func testForcesRotateWithTheStructureAndSumToZero() throws {
        var rng = SeededGenerator(seed: 21)
        let g = RandomMolecules(rng: &rng, graphs: 3, atoms: 3...6, elements: [1, 6, 8]).graph
        let m = try model(lmax: 2, seed: 21)
        let f = try ConservativeForces.gradients(m, graph: g, energy: "energy").positions
        var total = [SIMD3<Double>](repeating: .zero, count: 3)
        for a in 0..<g.atomCount { total[Int(g.atomGraph[a])] += SIMD3(f.scalars[3 * a], f.scalars[3 * a + 1], f.scalars[3 * a + 2]) }
        for t in total { XCTAssertLessThan((t * t).sum().squareRoot(), 1e-12) }
        for _ in 0..<3 {
            let r = Rotation.random(using: &rng)
            let rf = try ConservativeForces.gradients(m, graph: g.transformed(by: r), energy: "energy").positions
            XCTAssertLessThan(relativeError(rf, rotateVectors(f, r)), 1e-12)
        }
    }

    /// σ = (1/V) ∂E/∂ε against central differences of E((I + ε) x, (I + ε) cell) for a periodic cell.
    func testStressMatchesAStrainedCell() throws {
        let g = periodicTestCell()
        let m = try model(lmax: 2, seed: 31)
        let r = try ConservativeForces.gradients(m, graph: g, energy: "energy")
        let stress = ConservativeForces.stress(g, positionGradient: r.positions, cellGradient: r.cells)
        let volume = 3.1 * 2.9 * 3.3
        func strained(_ eps: [[Double]]) -> AtomGraph {
            func apply(_ v: SIMD3<Double>) -> SIMD3<Double> {
                SIMD3((0..<3).map { i in v[i] + (0..<3).reduce(0.0) { $0 + eps[i][$1] * v[$1] } })
            }
            var s = g
            s.positions = g.positions.map(apply)
            s.cells = g.cells.map(apply)
            return s
        }
        let h = 1e-5
        var worst = 0.0, largest = 0.0
        for i in 0..<3 {
            for j in 0..<3 {
                var ep = [[Double]](repeating: [0, 0, 0], count: 3), em = ep
                ep[i][j] = h; em[i][j] = -h
                let numeric = (try totalEnergy(m, strained(ep)) - totalEnergy(m, strained(em))) / (2 * h) / volume
                worst = max(worst, abs(stress[3 * i + j] - numeric) / max(1e-3, abs(numeric)))
                largest = max(largest, abs(numeric))
            }
        }
        XCTAssertGreaterThan(largest, 1e-4)
        XCTAssertLessThan(worst, 1e-6)
        // a rotation-invariant energy gives a symmetric stress
        for i in 0..<3 { for j in 0..<i { XCTAssertEqual(stress[3 * i + j], stress[3 * j + i], accuracy: 1e-10) } }
    }
}
