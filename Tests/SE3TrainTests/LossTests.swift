import XCTest
import SE3Data
import SE3Tensor
import SE3Math
import SE3Train

final class LossTests: XCTestCase {
    func testWeightsAtomAveragingAndExtensivePerAtom() throws {
        let structures = TestData.structures(count: 3, seed: 5)
        let batch = try BatchBuilder(cutoff: 3).build(structures)
        let n = TargetNormalizer(targets: [
            .init(name: "y", level: .graph, kind: .scalar, units: "eV", extensive: true, mean: 0, std: 1,
                  elementReferences: [Double](repeating: 0, count: 119)),
            .init(name: "mu", level: .graph, kind: .vector, units: "D", mean: 0, std: 1),
            .init(name: "q", level: .atom, kind: .scalar, units: "e", mean: 0, std: 1),
        ])
        let targets = try n.standardizedTargets(batch)
        var rng = SeededGenerator(seed: 9)
        for kind in [LossFunction.Kind.l1, .mse] {
            let tape = Tape<Double>()
            var outputs: [String: Variable<Double>] = [:]
            var raw: [String: [Double]] = [:]
            for t in n.targets {
                let rows = t.level == .graph ? batch.graphCount : batch.atomCount
                raw[t.name] = (0..<(rows * t.components)).map { _ in rng.nextGaussian() }
                outputs[t.name] = tape.variable(Tensor(shape: [rows, t.components], scalars: raw[t.name]!))
            }
            let f = LossFunction(kind: kind, weights: ["y": 2, "mu": 0.5, "q": 3])
            let (loss, per) = try f.evaluate(outputs: outputs, targets: targets, normalizer: n, batch: batch, tape: tape)
            func L(_ d: Double) -> Double { kind == .l1 ? Swift.abs(d) : d * d }
            var expected = [Double](repeating: 0, count: batch.graphCount)
            for g in 0..<batch.graphCount {
                let a0 = batch.atomOffsets[g], a1 = batch.atomOffsets[g + 1], na = Double(a1 - a0)
                expected[g] += 2 * L(raw["y"]![g] - targets["y"]![g]) / na
                var v = 0.0
                for c in 0..<3 { v += L(raw["mu"]![3 * g + c] - targets["mu"]![3 * g + c]) }
                expected[g] += 0.5 * v / 3
                var q = 0.0
                for i in a0..<a1 { q += L(raw["q"]![i] - targets["q"]![i]) }
                expected[g] += 3 * q / na
            }
            for g in 0..<batch.graphCount { XCTAssertEqual(per[g], expected[g], accuracy: 1e-12) }
            XCTAssertEqual(loss.scalar, expected.reduce(0, +), accuracy: 1e-12)
            // gradient of the sum: for MSE ∂/∂o = 2 w (o − t)
            if kind == .mse {
                tape.backward(loss)
                let gq = tape.gradient(outputs["q"]!)!
                let g0 = Int(batch.graphIndex[0])
                let na = Double(batch.atomOffsets[g0 + 1] - batch.atomOffsets[g0])
                XCTAssertEqual(gq.scalars[0], 2 * 3 * (raw["q"]![0] - targets["q"]![0]) / na, accuracy: 1e-12)
            }
        }
    }
}
