import Foundation
import SE3Layers
import SE3Math
import SE3Models
import SE3Tensor
import XCTest

final class ModelFactoryTests: XCTestCase {
    func testInitialisationIsDeterministicFromTheSeed() throws {
        let config = smallConfig(lmax: 2, nonlinearity: "gate")
        let a = try ModelFactory.make(config: config, outputs: allOutputs, seed: 42, as: Double.self)
        let b = try ModelFactory.make(config: config, outputs: allOutputs, seed: 42, as: Double.self)
        let c = try ModelFactory.make(config: config, outputs: allOutputs, seed: 43, as: Double.self)
        XCTAssertEqual(a.store.parameters, b.store.parameters)
        XCTAssertEqual(a.store.values, b.store.values)
        XCTAssertEqual(a.store.parameters, c.store.parameters)
        XCTAssertNotEqual(a.store.values, c.store.values)
        // Float and Double models share layout and (rounded) values
        let f = try ModelFactory.make(config: config, outputs: allOutputs, seed: 42)
        XCTAssertEqual(f.store.parameters, a.store.parameters)
        XCTAssertEqual(f.store.values, a.store.values.map { Float($0) })
        // and the same input gives the same outputs
        var rng = SeededGenerator(seed: 1)
        let g = RandomMolecules(rng: &rng, graphs: 2, atoms: 3...5, elements: [1, 6, 8]).graph
        let ya = try runModel(a, g), yb = try runModel(b, g)
        for spec in allOutputs { XCTAssertEqual(ya[spec.name], yb[spec.name]) }
        let tf = Tape<Float>(store: f.store)
        let yf = try f.forward(g, tape: tf)
        for spec in allOutputs {
            let d = zip(yf[spec.name]!.value.scalars, ya[spec.name]!.scalars).map { Swift.abs(Double($0) - $1) }.max()!
            XCTAssertLessThan(d, 1e-3, spec.name)
        }
    }

    func testParameterNamesAreHierarchicalAndStable() throws {
        var config = smallConfig(lmax: 2, nonlinearity: "norm", layers: 3)
        config.channels = 5
        let m = try ModelFactory.make(config: config, outputs: allOutputs, seed: 1, as: Double.self)
        let names = Set(m.store.parameters.map(\.name))
        for n in ["embedding.weight", "layers.0.radial.w0", "layers.0.radial.w2", "layers.0.self_interaction.w0",
                  "layers.1.self_interaction.w2", "layers.1.self_interaction.bias", "layers.2.norm.bias",
                  "heads.energy.w1", "heads.energy.b2", "heads.dipole.w", "heads.polarizability.anisotropic.w",
                  "heads.shielding.isotropic.b"] {
            XCTAssertTrue(names.contains(n), n)
        }
        XCTAssertEqual(m.store.parameter(named: "embedding.weight")?.shape, [3, 5])
        XCTAssertEqual(m.store.parameters.first?.name, "embedding.weight")
        let gated = try ModelFactory.make(config: smallConfig(lmax: 1, nonlinearity: "gate"), outputs: allOutputs.filter { $0.kind != .rank2 },
                                          seed: 1, as: Double.self)
        XCTAssertNotNil(gated.store.parameter(named: "layers.0.gate.gateWeight"))
        XCTAssertEqual(gated.config.lmax, 1)
        XCTAssertEqual(gated.outputs.count, 5)
    }

    func testUnknownElementThrowsNamingTheAtomicNumber() throws {
        let m = try ModelFactory.make(config: smallConfig(lmax: 1, nonlinearity: "norm"),
                                      outputs: [allOutputs[0]], seed: 1, as: Double.self)
        let g = AtomGraph(atomicNumbers: [6, 17], atomGraph: [0, 0], graphCount: 1, edgeSource: [0, 1],
                          edgeDestination: [1, 0], edgeVectors: [SIMD3(1, 0, 0), SIMD3(-1, 0, 0)])
        XCTAssertThrowsError(try runModel(m, g)) { e in
            XCTAssertEqual(e as? ModelError, .unknownElement(atomicNumber: 17, atom: 1, known: [1, 6, 8]))
            XCTAssertTrue("\(e)".contains("17"))
        }
    }

    func testInvalidGraphsThrow() throws {
        let m = try ModelFactory.make(config: smallConfig(lmax: 1, nonlinearity: "norm"),
                                      outputs: [allOutputs[0]], seed: 1, as: Double.self)
        let good = AtomGraph(atomicNumbers: [6, 1], atomGraph: [0, 0], graphCount: 1, edgeSource: [0, 1],
                             edgeDestination: [1, 0], edgeVectors: [SIMD3(1, 0, 0), SIMD3(-1, 0, 0)])
        XCTAssertNoThrow(try runModel(m, good))
        var bad = good; bad.edgeSource = [0, 2]
        XCTAssertThrowsError(try runModel(m, bad)) { XCTAssertTrue("\($0)".contains("edgeSource")) }
        bad = good; bad.atomGraph = [0, 1]
        XCTAssertThrowsError(try runModel(m, bad)) { XCTAssertTrue("\($0)".contains("atomGraph")) }
        bad = good; bad.edgeVectors[0] = SIMD3(.nan, 0, 0)
        XCTAssertThrowsError(try runModel(m, bad)) { XCTAssertTrue("\($0)".contains("edgeVectors")) }
        bad = good; bad.edgeDestination = [1]
        XCTAssertThrowsError(try runModel(m, bad))
    }

    func testInvalidConfigurationsThrow() {
        let rank2 = [OutputSpec(name: "alpha", level: .graph, kind: .rank2)]
        XCTAssertThrowsError(try ModelFactory.make(config: smallConfig(lmax: 1, nonlinearity: "norm"), outputs: rank2, seed: 1)) {
            XCTAssertTrue("\($0)".contains("alpha") && "\($0)".contains("lmax"))
        }
        let vector = [OutputSpec(name: "mu", level: .graph, kind: .vector)]
        XCTAssertThrowsError(try ModelFactory.make(config: smallConfig(lmax: 0, nonlinearity: "norm"), outputs: vector, seed: 1))
        XCTAssertThrowsError(try ModelFactory.make(config: smallConfig(lmax: 1, nonlinearity: "norm"),
                                                   outputs: [allOutputs[0], allOutputs[0]], seed: 1))
        var c = smallConfig(lmax: 1, nonlinearity: "norm"); c.name = "escn"
        XCTAssertThrowsError(try ModelFactory.make(config: c, outputs: [allOutputs[0]], seed: 1)) {
            XCTAssertTrue("\($0)".contains("model.name"))
        }
        c = smallConfig(lmax: 1, nonlinearity: "relu")
        XCTAssertThrowsError(try ModelFactory.make(config: c, outputs: [allOutputs[0]], seed: 1)) {
            XCTAssertTrue("\($0)".contains("model.nonlinearity"))
        }
        c = smallConfig(lmax: 1, nonlinearity: "norm"); c.averageNeighbors = 0
        XCTAssertThrowsError(try ModelFactory.make(config: c, outputs: [allOutputs[0]], seed: 1)) {
            XCTAssertTrue("\($0)".contains("avg_num_neighbors"))
        }
        // lmax 0 with scalar heads only is fine
        XCTAssertNoThrow(try ModelFactory.make(config: smallConfig(lmax: 0, nonlinearity: "gate"), outputs: [allOutputs[1]], seed: 1))
    }

    func testConfigDecodingIsBackwardCompatible() throws {
        let old = #"{"name": "tfn", "lmax": 1}"#.data(using: .utf8)!
        let c = try JSONDecoder().decode(ModelConfig.self, from: old)
        XCTAssertNil(c.averageNeighbors)
        XCTAssertEqual(c.effectiveAverageNeighbors, ModelConfig.defaultAverageNeighbors)
        let new = #"{"name": "tfn", "avg_num_neighbors": 14.5}"#.data(using: .utf8)!
        let d = try JSONDecoder().decode(ModelConfig.self, from: new)
        XCTAssertEqual(d.averageNeighbors, 14.5)
        let round = try JSONDecoder().decode(ModelConfig.self, from: JSONEncoder().encode(d))
        XCTAssertEqual(round, d)
    }

    /// The Cartesian maps: vector permutation (y, z, x) → (x, y, z); rank-2 basis symmetric,
    /// traceless, orthonormal, and equivariant (S(D² q) = R S(q) Rᵀ).
    func testCartesianBasis() {
        let v = SIMD3(0.3, -1.2, 0.7)
        let y1 = SphericalHarmonics.evaluate(lmax: 1, v)
        let r = (v * v).sum().squareRoot()
        for j in 0..<3 {
            let cart = (0..<3).reduce(0.0) { $0 + y1[1 + $1] * CartesianBasis.vector[3 * $1 + j] }
            XCTAssertEqual(cart, 3.0.squareRoot() * v[j] / r, accuracy: 1e-12)
        }
        let b = CartesianBasis.rank2
        for m in 0..<5 {
            XCTAssertEqual(b[9 * m] + b[9 * m + 4] + b[9 * m + 8], 0, accuracy: 1e-12)
            for i in 0..<3 { for j in 0..<3 { XCTAssertEqual(b[9 * m + 3 * i + j], b[9 * m + 3 * j + i], accuracy: 1e-12) } }
            for n in 0..<5 {
                let dot = (0..<9).reduce(0.0) { $0 + b[9 * m + $1] * b[9 * n + $1] }
                XCTAssertEqual(dot, m == n ? 1 : 0, accuracy: 1e-12)
            }
        }
        var rng = SeededGenerator(seed: 2)
        let rot = Rotation.random(using: &rng)
        let q = (0..<5).map { _ in rng.nextGaussian() }
        let d2 = WignerD.blockDiagonal(lmax: 2, rot).apply(l: 2, q)
        func s(_ q: [Double]) -> Tensor<Double> {
            Tensor(shape: [1, 9], scalars: (0..<9).map { k in (0..<5).reduce(0.0) { $0 + q[$1] * b[9 * $1 + k] } })
        }
        XCTAssertLessThan(s(d2).maxAbsDifference(rotateMatrices(s(q), rot)), 1e-12)
    }
}

final class FusedRadialMLPTests: XCTestCase {
    /// `RadialMLP.fused` computes exactly `RadialMLP.callAsFunction` (values and gradients).
    func testFusedRadialMLPMatchesLayer() throws {
        for hiddenLayers in [0, 1, 2] {
            let store = ParameterStore<Double>()
            var rng = SeededGenerator(seed: UInt64(10 + hiddenLayers))
            let mlp = try RadialMLP(store: store, name: "r", inputs: 5, hidden: 7, outputs: 6,
                                    hiddenLayers: hiddenLayers, rng: &rng)
            let x = Tensor<Double>.randomNormal(shape: [9, 5], using: &rng)
            let seed = Tensor<Double>.randomNormal(shape: [9, 6], using: &rng)
            var results: [(Tensor<Double>, [Double], Tensor<Double>)] = []
            for fused in [false, true] {
                store.zeroGrads()
                let tape = Tape<Double>(store: store)
                let xv = tape.variable(x)
                let y = fused ? mlp.fused(xv) : mlp(xv)
                tape.backward(sum(y * tape.constant(seed)))
                results.append((y.value, store.grads, tape.gradient(xv)!))
            }
            XCTAssertLessThan(results[0].0.maxAbsDifference(results[1].0), 1e-12)
            XCTAssertLessThan(zip(results[0].1, results[1].1).map { Swift.abs($0 - $1) }.max()!, 1e-12)
            XCTAssertLessThan(results[0].2.maxAbsDifference(results[1].2), 1e-12)
            XCTAssertGreaterThan(results[1].0.scalars.map(Swift.abs).max()!, 1e-3)
        }
    }
}
