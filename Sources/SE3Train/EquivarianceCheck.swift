import Foundation
import SE3Data
import SE3Math
import SE3Models
import SE3Tensor

/// `se3 check-equivariance`: a trained checkpoint's predictions on a dataset against the same
/// predictions of transformed structures. For random rotations `R` (seeded), a random translation,
/// and the inversion when the architecture claims E(3) (`ArchitectureConfig.isInversionEquivariant`):
///
///     scalar   y(R x) = y(x)          vector   y(R x) = R y(x)         rank 2   y(R x) = R y(x) Rᵀ
///
/// for graph-level outputs and for every atom's row of atom-level ones (forces: `F_i(R x) = R F_i(x)`).
/// (a 1o vector flips under the inversion, `R = −I`; scalars and rank-2 tensors do not). The graph
/// of each structure is built once and transformed with it (the check is of the model, not of the
/// neighbour list). The error of an output is `max |y' − T(y)| / max |T(y)|` over the whole dataset
/// and all components, in standardised units, in the precision asked for (Double by default: the
/// checkpoint's Float weights are widened, so rounding does not mask a real break).
public enum EquivarianceCheck {
    public enum Transform: String, Sendable { case rotation, inversion, translation }

    public struct Row: Sendable {
        public var output: String
        /// Graph-level (one value per structure) or atom-level (one per atom, e.g. forces).
        public var level: OutputSpec.Level
        public var kind: OutputSpec.Kind
        public var transform: Transform
        /// Largest relative error over the dataset (and over the rotations).
        public var error: Double
    }

    public struct Report: Sendable {
        public var rows: [Row]
        public var structures: Int
        public var rotations: Int
        public var inversionClaimed: Bool
        /// The architecture's own tolerance (`ArchitectureConfig.equivarianceTolerance`), if any.
        public var modelTolerance: Double?
        public var largest: Double { rows.map(\.error).max() ?? 0 }
    }

    public static func run(checkpointPath: String, dataPath: String, rotations: Int, seed: UInt64 = 1,
                           double: Bool = true, limit: Int? = nil) throws -> Report {
        double ? try run(Double.self, checkpointPath, dataPath, rotations, seed, limit)
               : try run(Float.self, checkpointPath, dataPath, rotations, seed, limit)
    }

    static func run<T: TensorScalar>(_: T.Type, _ checkpointPath: String, _ dataPath: String, _ rotations: Int,
                                     _ seed: UInt64, _ limit: Int?) throws -> Report {
        let ckpt = try Checkpoint.read(path: checkpointPath)
        let config = try ckpt.config(file: checkpointPath)
        let heads = ckpt.normalizer.outputSpecs
        let forces = ckpt.normalizer.conservativeForces
        // conservative forces (−∂E/∂x of the energy head) are checked like an atom-level vector head
        let specs = heads + (forces.map { [OutputSpec(name: $0.forces.name, level: .atom, kind: .vector)] } ?? [])
        let model = try ModelFactory.make(config: config.model, outputs: heads, seed: config.training.seed, as: T.self,
                                          file: checkpointPath)
        try ckpt.checkLayout(matches: model.store, file: checkpointPath)
        model.store.values = ckpt.evaluationWeights(as: T.self)
        let claimsInversion = config.model.architecture.isInversionEquivariant

        var rng = SeededGenerator(seed: seed)
        var transforms: [(Transform, Rotation, SIMD3<Double>)] = (0..<rotations).map { _ in (.rotation, Rotation.random(using: &rng), .zero) }
        transforms.append((.translation, .identity, SIMD3(rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()) * 10))
        if claimsInversion { transforms.append((.inversion, .inversion, .zero)) }

        let data = try Dataset(path: dataPath)
        try DatasetChecks.checkElements(data, elements: config.model.common.elements)
        let builder = BatchBuilder(neighborList: config.neighborList)
        let n = min(data.count, limit ?? data.count)
        var maxDiff = [String: [Transform: Double]](), maxValue = [String: [Transform: Double]]()
        var start = 0
        while start < n {
            let structures = try data.read(start..<min(n, start + config.data.batchSize))
            let graph = AtomGraph(try builder.build(structures, context: dataPath))
            let base = try predict(model, graph, forces: forces)
            for (kind, r, t) in transforms {
                let moved = kind == .translation ? graph.translated(by: t) : graph.transformed(by: r)
                let out = try predict(model, moved, forces: forces)
                for spec in specs {
                    guard let y = base[spec.name], let moved = out[spec.name], moved.count == y.count else {
                        throw CheckpointError(file: checkpointPath, field: "/normalizer",
                                              "the model returned no output '\(spec.name)' of the checkpoint's targets")
                    }
                    let expected = transformed(y, spec.kind, r)
                    let d = zip(moved, expected).map { Swift.abs($0 - $1) }.max() ?? 0
                    let v = expected.map(Swift.abs).max() ?? 0
                    maxDiff[spec.name, default: [:]][kind] = max(maxDiff[spec.name]?[kind] ?? 0, d)
                    maxValue[spec.name, default: [:]][kind] = max(maxValue[spec.name]?[kind] ?? 0, v)
                }
            }
            start += structures.count
        }
        var rows: [Row] = []
        for spec in specs {
            for kind in [Transform.rotation, .translation, .inversion] where transforms.contains(where: { $0.0 == kind }) {
                let d = maxDiff[spec.name]?[kind] ?? 0, v = maxValue[spec.name]?[kind] ?? 0
                rows.append(Row(output: spec.name, level: spec.level, kind: spec.kind, transform: kind, error: v > 0 ? d / v : d))
            }
        }
        return Report(rows: rows, structures: n, rotations: rotations, inversionClaimed: claimsInversion,
                      modelTolerance: config.model.architecture.equivarianceTolerance)
    }

    static func predict<T: TensorScalar>(_ model: any GraphModel<T>, _ graph: AtomGraph,
                                         forces: TargetNormalizer.ConservativeForceTargets?) throws -> [String: [Double]] {
        if let forces {
            let r = try ConservativeForces.gradients(model, graph: graph, energy: forces.energy.name)
            var out = r.outputs.mapValues { $0.scalars.map(Double.init) }
            out[forces.forces.name] = r.positions.scalars.map { -Double($0) }
            return out
        }
        let tape = Tape<T>(store: model.store)
        return try model.forward(graph, tape: tape).mapValues { $0.value.scalars.map(Double.init) }
    }

    /// `y` (rows of `kind.components`) transformed by `r`.
    static func transformed(_ y: [Double], _ kind: OutputSpec.Kind, _ r: Rotation) -> [Double] {
        switch kind {
        case .scalar:
            return y
        case .vector:
            var out = y
            for i in 0..<(y.count / 3) {
                let v = r * SIMD3(y[3 * i], y[3 * i + 1], y[3 * i + 2])
                out[3 * i] = v.x; out[3 * i + 1] = v.y; out[3 * i + 2] = v.z
            }
            return out
        case .rank2:
            var out = y
            for n in 0..<(y.count / 9) {
                for i in 0..<3 { for j in 0..<3 {
                    var s = 0.0
                    for a in 0..<3 { for b in 0..<3 { s += r[i, a] * y[9 * n + 3 * a + b] * r[j, b] } }
                    out[9 * n + 3 * i + j] = s
                } }
            }
            return out
        }
    }
}
