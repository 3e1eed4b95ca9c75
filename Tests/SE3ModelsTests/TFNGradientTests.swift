import SE3Math
import SE3Models
import SE3Tensor
import XCTest

/// Tape gradients of every parameter against central finite differences, for a loss that
/// touches every head (random weights on every output component).
final class TFNGradientTests: XCTestCase {
    func checkGradients(nonlinearity: TFNConfig.Nonlinearity, readout: Readout, seed: UInt64, channels: Int = 3) throws {
        var rng = SeededGenerator(seed: seed)
        let mols = RandomMolecules(rng: &rng, graphs: 2, atoms: 2...3, elements: [1, 6, 8])
        let config = tfnConfig(lmax: 2, channels: channels, layers: 2, nonlinearity: nonlinearity, cutoff: 2.5,
                               radialBasis: seed % 2 == 0 ? .bessel : .gaussian, radialCount: 4, radialHidden: 4,
                               elements: [1, 6, 8], readout: readout, averageNeighbors: 2)
        let model = try ModelFactory.make(config: config, outputs: allOutputs, seed: seed, as: Double.self)
        // every bias away from zero so its gradient path is exercised at a generic point
        for i in 0..<model.store.count where model.store.values[i] == 0 {
            model.store.values[i] = 0.3 * rng.nextGaussian()
        }
        let graph = mols.graph
        var weights: [String: Tensor<Double>] = [:]
        let probe = try runModel(model, graph)
        for spec in allOutputs {
            weights[spec.name] = Tensor.randomNormal(shape: probe[spec.name]!.shape, using: &rng)
        }
        XCTAssertGreaterThan(model.store.count, 200)
        let err = GradientCheck.checkParameters(store: model.store) { tape in
            let out = try! model.forward(graph, tape: tape)
            var loss: Variable<Double>? = nil
            for spec in allOutputs {
                let term = sum(out[spec.name]! * tape.constant(weights[spec.name]!))
                loss = loss.map { $0 + term } ?? term
            }
            return loss!
        }
        XCTAssertLessThan(err, 1e-6, "\(nonlinearity), \(readout)")
    }

    func testParameterGradientsNorm() throws {
        try checkGradients(nonlinearity: .norm, readout: .mean, seed: 4)
    }

    /// 8 channels: the SIMD-blocked tensor-product kernels.
    func testParameterGradientsBlockedChannels() throws {
        try checkGradients(nonlinearity: .norm, readout: .sum, seed: 6, channels: 8)
    }

    func testParameterGradientsGate() throws {
        try checkGradients(nonlinearity: .gate, readout: .sum, seed: 7)
    }
}
