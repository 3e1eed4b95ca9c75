import SE3Math
import SE3Models
import SE3Tensor
import XCTest

/// Differentiable geometry: a model's outputs have gradients with respect to atom positions (and
/// cells), computed on the tape from `GraphGeometry`. In Double, against central finite
/// differences of the positions; plus the symmetry consequences: for a translation-invariant
/// energy Σ_a ∂E/∂x_a = 0, and for a rotation-invariant one the total torque Σ_a x_a × ∂E/∂x_a
/// vanishes (isolated molecules; a periodic cell keeps only the first).
final class TFNPositionGradientTests: XCTestCase {
    /// A scalar touching every head: Σ_outputs Σ w ⊙ output, with fixed random weights.
    struct Probe {
        var weights: [String: Tensor<Double>]

        init(weights: [String: Tensor<Double>]) { self.weights = weights }

        init(model: any GraphModel<Double>, graph: AtomGraph, rng: inout SeededGenerator) throws {
            weights = try runModel(model, graph).mapValues { Tensor.randomNormal(shape: $0.shape, using: &rng) }
        }

        func value(_ out: [String: Variable<Double>], _ tape: Tape<Double>) -> Variable<Double> {
            var total: Variable<Double>? = nil
            for name in weights.keys.sorted() {
                let term = sum(out[name]! * tape.constant(weights[name]!))
                total = total.map { $0 + term } ?? term
            }
            return total!
        }
    }

    /// `(f, ∂f/∂x [A·3], ∂f/∂cells [G·9])` from one forward and backward pass.
    func evaluate(_ model: any GraphModel<Double>, _ graph: AtomGraph, _ probe: Probe) throws
        -> (Double, [Double], [Double]) {
        let tape = Tape<Double>(store: model.store)
        let geometry = GraphGeometry(graph, tape: tape, differentiable: true)
        let f = probe.value(try model.forward(graph, geometry: geometry, tape: tape), tape)
        tape.backward(f)
        let gx = tape.gradient(geometry.positions)?.scalars ?? [Double](repeating: 0, count: 3 * graph.atomCount)
        let gc = tape.gradient(geometry.cells)?.scalars ?? [Double](repeating: 0, count: 9 * graph.graphCount)
        return (f.scalar, gx, gc)
    }

    func value(_ model: any GraphModel<Double>, _ graph: AtomGraph, _ probe: Probe) throws -> Double {
        let tape = Tape<Double>(store: model.store)
        return probe.value(try model.forward(graph, tape: tape), tape).scalar
    }

    /// max over coordinates of |analytic − numeric| / max(1, |numeric|).
    func checkPositions(_ model: any GraphModel<Double>, _ graph: AtomGraph, _ probe: Probe, h: Double = 1e-5) throws -> Double {
        let (_, gx, _) = try evaluate(model, graph, probe)
        var worst = 0.0
        for a in 0..<graph.atomCount {
            for j in 0..<3 {
                var p = graph, m = graph
                p.positions[a][j] += h
                m.positions[a][j] -= h
                let numeric = (try value(model, p, probe) - value(model, m, probe)) / (2 * h)
                worst = max(worst, abs(gx[3 * a + j] - numeric) / max(1, abs(numeric)))
            }
        }
        return worst
    }

    func model(lmax: Int, nonlinearity: TFNConfig.Nonlinearity, outputs: [OutputSpec], seed: UInt64) throws -> any GraphModel<Double> {
        let m = try ModelFactory.make(config: tfnConfig(lmax: lmax, channels: 4, layers: 2, nonlinearity: nonlinearity),
                                      outputs: outputs, seed: seed, as: Double.self)
        var rng = SeededGenerator(seed: seed ^ 0xbeef)
        for i in 0..<m.store.count where m.store.values[i] == 0 { m.store.values[i] = 0.3 * rng.nextGaussian() }
        return m
    }

    func testPositionGradientsMatchFiniteDifferences() throws {
        for (lmax, nl, seed) in [(1, TFNConfig.Nonlinearity.norm, UInt64(3)), (2, .gate, 4), (3, .norm, 5)] {
            var rng = SeededGenerator(seed: seed)
            let mols = RandomMolecules(rng: &rng, graphs: 2, atoms: 3...5, elements: [1, 6, 8])
            let outputs = lmax >= 2 ? allOutputs : allOutputs.filter { $0.kind != .rank2 }
            let m = try model(lmax: lmax, nonlinearity: nl, outputs: outputs, seed: seed)
            let probe = try Probe(model: m, graph: mols.graph, rng: &rng)
            let err = try checkPositions(m, mols.graph, probe)
            XCTAssertLessThan(err, 1e-7, "lmax \(lmax), \(nl)")
        }
    }

    /// An energy (invariant graph scalar) of isolated molecules: per molecule the forces sum to
    /// zero and exert no torque.
    func testForcesOfAnInvariantEnergySumToZeroWithoutTorque() throws {
        var rng = SeededGenerator(seed: 17)
        let mols = RandomMolecules(rng: &rng, graphs: 3, atoms: 3...6, elements: [1, 6, 8])
        let energy = OutputSpec(name: "energy", level: .graph, kind: .scalar, extensive: true)
        let m = try model(lmax: 2, nonlinearity: .gate, outputs: [energy], seed: 17)
        let probe = Probe(weights: ["energy": Tensor(repeating: 1, shape: [3, 1])])
        let (_, gx, _) = try evaluate(m, mols.graph, probe)
        let g = mols.graph
        var force = [SIMD3<Double>](repeating: .zero, count: 3), torque = force, scale = [Double](repeating: 0, count: 3)
        for a in 0..<g.atomCount {
            let f = -SIMD3(gx[3 * a], gx[3 * a + 1], gx[3 * a + 2])
            let x = g.positions[a], k = Int(g.atomGraph[a])
            force[k] += f
            torque[k] += SIMD3(x.y * f.z - x.z * f.y, x.z * f.x - x.x * f.z, x.x * f.y - x.y * f.x)
            scale[k] = max(scale[k], (f * f).sum().squareRoot())
        }
        for k in 0..<3 {
            XCTAssertGreaterThan(scale[k], 1e-3, "molecule \(k) has forces")
            XCTAssertLessThan((force[k] * force[k]).sum().squareRoot(), 1e-12 * max(1, scale[k]), "Σ F, molecule \(k)")
            XCTAssertLessThan((torque[k] * torque[k]).sum().squareRoot(), 1e-11 * max(1, scale[k]), "Σ x × F, molecule \(k)")
        }
        // forces rotate with the structure
        let r = Rotation.random(using: &rng)
        let (_, rgx, _) = try evaluate(m, g.transformed(by: r), probe)
        for a in 0..<g.atomCount {
            let f = SIMD3(gx[3 * a], gx[3 * a + 1], gx[3 * a + 2]), rf = SIMD3(rgx[3 * a], rgx[3 * a + 1], rgx[3 * a + 2])
            let d = rf - r * f
            XCTAssertLessThan((d * d).sum().squareRoot(), 1e-10, "atom \(a)")
        }
    }

    /// A periodic cell: edges to periodic images carry lattice shifts; position gradients and the
    /// cell gradient (positions fixed) match finite differences, and the forces sum to zero.
    func testPeriodicCellGradients() throws {
        let g = periodicTestCell()
        XCTAssertTrue(g.edgeShifts.contains { $0 != .zero })
        let pairs = EdgePairs(g)
        XCTAssertEqual(pairs.count * 2, g.edgeCount, "every periodic edge has its reverse")
        var rng = SeededGenerator(seed: 29)
        let m = try model(lmax: 2, nonlinearity: .norm, outputs: allOutputs, seed: 29)
        let probe = try Probe(model: m, graph: g, rng: &rng)
        XCTAssertLessThan(try checkPositions(m, g, probe), 1e-7)

        let (_, gx, gc) = try evaluate(m, g, probe)
        let h = 1e-5
        var worst = 0.0
        for k in 0..<3 {
            for j in 0..<3 {
                var p = g, q = g
                p.cells[k][j] += h
                q.cells[k][j] -= h
                let numeric = (try value(m, p, probe) - value(m, q, probe)) / (2 * h)
                worst = max(worst, abs(gc[3 * k + j] - numeric) / max(1, abs(numeric)))
            }
        }
        XCTAssertLessThan(worst, 1e-7, "cell gradient")
        XCTAssertGreaterThan(gc.map(Swift.abs).max()!, 1e-3)

        // translation invariance (edges fixed): the position gradients sum to zero
        var total = SIMD3<Double>.zero
        for a in 0..<4 { total += SIMD3(gx[3 * a], gx[3 * a + 1], gx[3 * a + 2]) }
        XCTAssertLessThan((total * total).sum().squareRoot(), 1e-12)
    }

    /// On constant geometry no gradient reaches positions (and the tape records no backward for them).
    func testConstantGeometryHasNoGradient() throws {
        var rng = SeededGenerator(seed: 5)
        let mols = RandomMolecules(rng: &rng, graphs: 1, atoms: 3...3, elements: [1, 6, 8])
        let m = try model(lmax: 1, nonlinearity: .norm, outputs: [allOutputs[1]], seed: 5)
        let tape = Tape<Double>(store: m.store)
        let geometry = GraphGeometry(mols.graph, tape: tape)
        let out = try m.forward(mols.graph, geometry: geometry, tape: tape)
        tape.backward(sum(out["gap"]!))
        XCTAssertFalse(geometry.positions.requiresGrad)
        XCTAssertNil(tape.gradient(geometry.positions))
    }
}
