import SE3Math
import SE3Models
import SE3Tensor
import XCTest

/// "Does it learn": a small Float32 TFN fits the Coulomb-like sum `Σ_{i<j} 1/r_ij` of 12 random
/// molecules (standardised as an extensive target) with a hand-written Adam.
final class TFNLearningTests: XCTestCase {
    func testFitsSumOfInversePairDistances() throws {
        var rng = SeededGenerator(seed: 2024)
        let mols = RandomMolecules(rng: &rng, graphs: 12, atoms: 3...6, elements: [1, 6, 8],
                                   box: 2.5, cutoff: 5, keep: 1, minDistance: 0.9)
        let g = mols.graph
        var target = [Double](repeating: 0, count: g.graphCount), atoms = target
        for i in 0..<g.atomCount {
            atoms[Int(g.atomGraph[i])] += 1
            for j in (i + 1)..<g.atomCount where g.atomGraph[j] == g.atomGraph[i] {
                let d = mols.positions[i] - mols.positions[j]
                target[Int(g.atomGraph[i])] += 1 / (d * d).sum().squareRoot()
            }
        }
        // extensive standardisation: y' = (y − n μ) / σ with μ the mean per-atom value
        let mu = zip(target, atoms).map { $0 / $1 }.reduce(0, +) / Double(g.graphCount)
        let centred = zip(target, atoms).map { $0 - $1 * mu }
        let sigma = (centred.map { $0 * $0 }.reduce(0, +) / Double(g.graphCount)).squareRoot()
        let y = Tensor<Float>(shape: [g.graphCount, 1], scalars: centred.map { Float($0 / sigma) })

        let config = tfnConfig(lmax: 1, channels: 8, layers: 2, nonlinearity: .norm, cutoff: 5, radialCount: 6,
                               radialHidden: 16, elements: [1, 6, 8], averageNeighbors: 4)
        let spec = OutputSpec(name: "coulomb", level: .graph, kind: .scalar, extensive: true)
        let model = try ModelFactory.make(config: config, outputs: [spec], seed: 8)
        let store = model.store
        var m = [Float](repeating: 0, count: store.count), v = m
        let lr: Float = 5e-3, b1: Float = 0.9, b2: Float = 0.999
        var losses: [Float] = []
        for step in 1...300 {
            store.zeroGrads()
            let tape = Tape<Float>(store: store)
            let out = try model.forward(g, tape: tape)["coulomb"]!
            let loss = mean(square(out - tape.constant(y)))
            tape.backward(loss)
            losses.append(loss.scalar)
            let c1: Float = 1 - Float.pow(b1, step), c2: Float = 1 - Float.pow(b2, step)
            for i in 0..<store.count {
                let gr = store.grads[i]
                m[i] = b1 * m[i] + (1 - b1) * gr
                v[i] = b2 * v[i] + (1 - b2) * gr * gr
                let mHat: Float = m[i] / c1, vHat: Float = v[i] / c2
                store.values[i] -= lr * mHat / (vHat.squareRoot() + 1e-8)
            }
        }
        let first = losses[0], last = losses.suffix(10).reduce(0, +) / 10
        print("TFN learning test: loss \(first) → \(last)")
        XCTAssertTrue(last.isFinite)
        XCTAssertLessThan(last, first / 20, "loss \(first) → \(last)")
        XCTAssertLessThan(last, 0.05, "loss \(first) → \(last)")
    }
}
