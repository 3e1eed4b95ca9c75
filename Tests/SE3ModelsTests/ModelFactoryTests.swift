import Foundation
import SE3Config
import SE3Layers
import SE3Math
import SE3Models
import SE3Tensor
import XCTest

final class ModelFactoryTests: XCTestCase {
    func testInitialisationIsDeterministicFromTheSeed() throws {
        let config = smallConfig(lmax: 2, nonlinearity: .gate)
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
        let config = smallConfig(lmax: 2, nonlinearity: .norm, channels: 5, layers: 3)
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
        let gated = try ModelFactory.make(config: smallConfig(lmax: 1, nonlinearity: .gate), outputs: allOutputs.filter { $0.kind != .rank2 },
                                          seed: 1, as: Double.self)
        XCTAssertNotNil(gated.store.parameter(named: "layers.0.gate.gateWeight"))
        XCTAssertEqual(gated.config.architecture(as: TFNConfig.self)?.lmax, 1)
        XCTAssertEqual(gated.outputs.count, 5)
    }

    func testUnknownElementThrowsNamingTheAtomicNumber() throws {
        let m = try ModelFactory.make(config: smallConfig(lmax: 1, nonlinearity: .norm),
                                      outputs: [allOutputs[0]], seed: 1, as: Double.self)
        let g = AtomGraph(atomicNumbers: [6, 17], atomGraph: [0, 0], graphCount: 1, positions: [SIMD3(1, 0, 0), .zero],
                          edgeSource: [0, 1], edgeDestination: [1, 0])
        XCTAssertThrowsError(try runModel(m, g)) { e in
            XCTAssertEqual(e as? ModelError, .unknownElement(atomicNumber: 17, atom: 1, known: [1, 6, 8]))
            XCTAssertTrue("\(e)".contains("17"))
        }
    }

    func testInvalidGraphsThrow() throws {
        let m = try ModelFactory.make(config: smallConfig(lmax: 1, nonlinearity: .norm),
                                      outputs: [allOutputs[0]], seed: 1, as: Double.self)
        let good = AtomGraph(atomicNumbers: [6, 1], atomGraph: [0, 0], graphCount: 1, positions: [SIMD3(1, 0, 0), .zero],
                             edgeSource: [0, 1], edgeDestination: [1, 0])
        XCTAssertNoThrow(try runModel(m, good))
        var bad = good; bad.edgeSource = [0, 2]
        XCTAssertThrowsError(try runModel(m, bad)) { XCTAssertTrue("\($0)".contains("edgeSource")) }
        bad = good; bad.atomGraph = [0, 1]
        XCTAssertThrowsError(try runModel(m, bad)) { XCTAssertTrue("\($0)".contains("atomGraph")) }
        bad = good; bad.positions[0] = SIMD3(.nan, 0, 0)
        XCTAssertThrowsError(try runModel(m, bad)) { XCTAssertTrue("\($0)".contains("positions")) }
        bad = good; bad.positions.removeLast()
        XCTAssertThrowsError(try runModel(m, bad)) { XCTAssertTrue("\($0)".contains("positions")) }
        bad = good; bad.cells[1] = SIMD3(.infinity, 0, 0)
        XCTAssertThrowsError(try runModel(m, bad)) { XCTAssertTrue("\($0)".contains("cells")) }
        bad = good; bad.edgeShifts = [.zero]
        XCTAssertThrowsError(try runModel(m, bad)) { XCTAssertTrue("\($0)".contains("shifts")) }
        bad = good; bad.edgeDestination = [1]
        XCTAssertThrowsError(try runModel(m, bad))
    }

    func testInvalidConfigurationsThrow() {
        let rank2 = [OutputSpec(name: "alpha", level: .graph, kind: .rank2)]
        XCTAssertThrowsError(try ModelFactory.make(config: smallConfig(lmax: 1, nonlinearity: .norm), outputs: rank2, seed: 1)) {
            XCTAssertTrue("\($0)".contains("alpha") && "\($0)".contains("lmax"))
        }
        let vector = [OutputSpec(name: "mu", level: .graph, kind: .vector)]
        XCTAssertThrowsError(try ModelFactory.make(config: smallConfig(lmax: 0, nonlinearity: .norm), outputs: vector, seed: 1))
        XCTAssertThrowsError(try ModelFactory.make(config: smallConfig(lmax: 1, nonlinearity: .norm),
                                                   outputs: [allOutputs[0], allOutputs[0]], seed: 1))
        var c = smallConfig(lmax: 7, nonlinearity: .norm)
        XCTAssertThrowsError(try ModelFactory.make(config: c, outputs: [allOutputs[0]], seed: 1)) {
            XCTAssertTrue("\($0)".contains("model.lmax"))
        }
        c = smallConfig(lmax: 1, nonlinearity: .norm); c.common.averageNeighbors = 0
        XCTAssertThrowsError(try ModelFactory.make(config: c, outputs: [allOutputs[0]], seed: 1)) {
            XCTAssertTrue("\($0)".contains("avg_num_neighbors"))
        }
        // lmax 0 with scalar heads only is fine
        XCTAssertNoThrow(try ModelFactory.make(config: smallConfig(lmax: 0, nonlinearity: .gate), outputs: [allOutputs[1]], seed: 1))
        // eSCN: orders within degrees, grids that hold degree lmax
        for (e, key) in [(escnConfig(lmax: 2, mmax: 3), "model.mmax"), (escnConfig(lmax: 9, mmax: 2), "model.lmax"),
                         (escnConfig(lmax: 3, mmax: 2, latitudes: 3), "model.grid_latitudes"),
                         (escnConfig(lmax: 3, mmax: 2, longitudes: 6), "model.grid_longitudes"),
                         (escnConfig(lmax: 2, mmax: 2, samples: 0), "model.sphere_samples")] {
            XCTAssertThrowsError(try ModelFactory.make(config: e, outputs: [allOutputs[0]], seed: 1)) {
                XCTAssertTrue("\($0)".contains(key), "\($0)")
            }
        }
    }

    func testESCNParametersAndHeads() throws {
        let m = try ModelFactory.make(config: escnConfig(lmax: 3, mmax: 2, layers: 2), outputs: allOutputs, seed: 1, as: Double.self)
        let names = Set(m.store.parameters.map(\.name))
        for n in ["embedding.weight", "layers.0.message.edge.distance.w", "layers.0.message.edge.source.weight",
                  "layers.1.message.source.m0.w1", "layers.1.message.target.m2.w2", "layers.1.message.source.m1.edge.b",
                  "layers.0.node.w1.w", "layers.1.node.w3.w", "heads.energy.w1.w", "heads.energy.w2.b", "heads.force.w3.w",
                  "heads.polarizability.anisotropic.w"] {
            XCTAssertTrue(names.contains(n), n)
        }
        XCTAssertEqual(m.store.parameter(named: "layers.1.message.source.m1.w1")?.shape, [3 * 4, 2 * 5])   // (L − m + 1)·C × 2·hidden
        XCTAssertEqual(m.store.parameter(named: "layers.1.message.source.m2.w2")?.shape, [2 * 5, 2 * 4])
        XCTAssertNil(m.store.parameter(named: "layers.0.message.source.m3.w1"), "orders above mmax")
        // heads: shared → no sphere heads at all
        let shared = try ModelFactory.make(config: escnConfig(lmax: 2, mmax: 1, heads: .shared), outputs: allOutputs, seed: 1,
                                           as: Double.self)
        XCTAssertNil(shared.store.parameter(named: "heads.energy.w3.w"))
        XCTAssertNotNil(shared.store.parameter(named: "heads.energy.w1"))
        XCTAssertNotNil(shared.store.parameter(named: "heads.dipole.w"))
    }

    /// `model:` is one flat mapping: `name`, the common keys and the architecture's keys; other
    /// keys, unknown names and values outside a closed choice are errors that say what is allowed.
    func testConfigDecoding() throws {
        let short = #"{"name": "tfn", "lmax": 1}"#.data(using: .utf8)!
        let c = try JSONDecoder().decode(ModelConfig.self, from: short)
        XCTAssertEqual(c.name, .tfn)
        XCTAssertNil(c.common.averageNeighbors)
        XCTAssertEqual(c.common.effectiveAverageNeighbors, CommonModelConfig.defaultAverageNeighbors)
        XCTAssertEqual(c.architecture(as: TFNConfig.self), TFNConfig(lmax: 1))
        let full = #"{"name": "tfn", "avg_num_neighbors": 14.5, "nonlinearity": "gate", "readout": "sum", "radial_basis": "gaussian"}"#
        let d = try JSONDecoder().decode(ModelConfig.self, from: full.data(using: .utf8)!)
        XCTAssertEqual(d.common.averageNeighbors, 14.5)
        XCTAssertEqual(d.common.readout, .sum)
        XCTAssertEqual(d.common.radialBasis, .gaussian)
        XCTAssertEqual(d.architecture(as: TFNConfig.self)?.nonlinearity, .gate)
        let round = try JSONDecoder().decode(ModelConfig.self, from: JSONEncoder().encode(d))
        XCTAssertEqual(round, d)
        XCTAssertNotEqual(round, c)

        func error(_ json: String) -> String {
            do {
                _ = try JSONDecoder().decode(ModelConfig.self, from: json.data(using: .utf8)!)
                return "decoded"
            } catch {
                return ConfigError(decoding: error, file: "m.yaml").description
            }
        }
        XCTAssertEqual(error(#"{"name": "tfn", "chanels": 4}"#), "m.yaml: chanels: unknown key; did you mean channels?")
        XCTAssertEqual(error(#"{"name": "segnn"}"#), "m.yaml: name: must be one of 'tfn', 'se3_transformer', 'escn'; got 'segnn'")
        XCTAssertEqual(error(#"{"name": "escn", "heads": "energy"}"#), "m.yaml: heads: must be one of 'sphere', 'shared'; got 'energy'")
        XCTAssertEqual(error(#"{"name": "escn", "sphere_chanels": 8}"#), "m.yaml: sphere_chanels: unknown key; did you mean sphere_channels?")
        XCTAssertEqual(error(#"{"name": "tfn", "nonlinearity": "relu"}"#), "m.yaml: nonlinearity: must be one of 'norm', 'gate'; got 'relu'")
        XCTAssertEqual(error(#"{"name": "tfn", "readout": "maximum"}"#), "m.yaml: readout: must be one of 'mean', 'sum', 'max'; got 'maximum'; did you mean 'max'?")
        XCTAssertEqual(error(#"{"name": "se3_transformer", "symmetry": "o3"}"#), "m.yaml: symmetry: must be one of 'se3', 'e3'; got 'o3'; did you mean 'e3'?")
        XCTAssertEqual(error(#"{"name": "se3_transformer", "nonlinearity": "gate"}"#),
                       "m.yaml: nonlinearity: must be one of 'norm_se3', 'norm_gate'; got 'gate'; did you mean 'norm_gate'?")
        // keys of another architecture are unknown here
        XCTAssertEqual(error(#"{"name": "tfn", "heads": 4}"#), "m.yaml: heads: unknown key; known keys here: name, elements, cutoff, radial_basis, radial_count, envelope_exponent, readout, max_neighbors, avg_num_neighbors, lmax, channels, layers, radial_hidden, nonlinearity")
        XCTAssertEqual(error(#"{"lmax": 2}"#), "m.yaml: name: missing required key")
        XCTAssertEqual(error(#"{"name": "tfn", "lmax": "two"}"#), "m.yaml: lmax: expected an integer")
    }

    /// The registry is the one list of architectures: every case decodes from its name and builds.
    func testRegistryBuildsEveryArchitecture() throws {
        for a in Architecture.allCases {
            let json = #"{"name": "\#(a.rawValue)", "elements": [1, 6, 8]}"#
            let c = try JSONDecoder().decode(ModelConfig.self, from: json.data(using: .utf8)!)
            XCTAssertEqual(c.name, a)
            XCTAssertTrue(type(of: c.architecture) == a.configType)
            let m = try ModelFactory.make(config: c, outputs: [allOutputs[1]], seed: 1, as: Double.self)
            XCTAssertEqual(m.config, c)
            XCTAssertTrue(Architecture.catalogue.contains("\(a.rawValue): "))
        }
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
