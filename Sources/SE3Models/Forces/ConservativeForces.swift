import SE3Core
import SE3Tensor

/// Conservative forces and stress from a model's energy output (`docs/forces.md`):
///
///     F_a  = −∂E/∂x_a                                          (eV/Å for E in eV, x in Å)
///     σ_ij = (1/V) ∂E/∂ε_ij |_{ε=0}  = (1/V) [ Σ_a (∂E/∂x_a)_i x_aj + Σ_k (∂E/∂a_k)_i a_kj ]
///
/// with the strain `ε` acting on positions and lattice vectors `a_k` (the rows of the cell) as
/// `x ↦ (I + ε) x`, `a_k ↦ (I + ε) a_k`, and `V = |det cell|` (eV/Å³; zero for a molecule, whose
/// cell is zero). Here `E` is the output as the model returns it (standardised units); callers
/// scale by the target's standard deviation.
///
/// Training on forces needs `∇_θ` of a loss on `F`, a mixed second derivative. se3 gets it by
/// reverse over forward instead of differentiating the backward pass: for a fixed direction
/// `u = ∂L/∂F`,
///
///     Σ_a u_a · ∇_θ F_a = −∇_θ ( Σ_a u_a · ∂E/∂x_a ) = −∇_θ Ė,      Ė = the JVP of E along ẋ = u,
///
/// so `directionalDerivative` records `Ė` on the tape with the ops' forward rules
/// (`Tape.tangents(seeds:)`) and one ordinary backward pass gives the parameter gradient.
public enum ConservativeForces {
    /// The outputs and the gradients of `Σ_g E_g` with respect to positions `[A, 3]` and cells
    /// `[G, 3, 3]`; parameters are constants (no parameter gradients are computed).
    public struct Gradients<T: TensorScalar> {
        public var outputs: [String: Tensor<T>]
        public var positions: Tensor<T>
        public var cells: Tensor<T>
    }

    /// One forward and one backward pass. Throws what `forward` throws, and `ModelError` when
    /// the model has no graph-level scalar output `energy`.
    public static func gradients<T>(_ model: any GraphModel<T>, graph: AtomGraph, energy: String) throws -> Gradients<T> {
        let tape = Tape<T>(store: model.store, parametersRequireGradient: false)
        let geometry = GraphGeometry(graph, tape: tape, differentiable: true)
        let outputs = try model.forward(graph, geometry: geometry, tape: tape)
        let e = try energyOutput(outputs, energy, graph: graph)
        tape.backward(e, seed: Tensor(repeating: 1, shape: e.shape))
        return Gradients(outputs: outputs.mapValues(\.value),
                         positions: tape.gradient(geometry.positions) ?? Tensor(zeros: [graph.atomCount, 3]),
                         cells: tape.gradient(geometry.cells) ?? Tensor(zeros: [graph.graphCount, 3, 3]))
    }

    /// On `tape` (whose parameters require gradients): the outputs, and `Ė_g = Σ_{a ∈ g} u_a · ∂E_g/∂x_a`
    /// `[G, 1]` for the direction `u` `[A, 3]`, recorded with differentiable ops.
    public static func directionalDerivative<T>(_ model: any GraphModel<T>, graph: AtomGraph, energy: String,
                                                direction u: Tensor<T>, tape: Tape<T>)
        throws -> (outputs: [String: Variable<T>], energyTangent: Variable<T>) {
        require(u.shape == [graph.atomCount, 3], "ConservativeForces: direction shape \(u.shape) for \(graph.atomCount) atoms")
        let geometry = GraphGeometry(graph, tape: tape)
        let outputs = try model.forward(graph, geometry: geometry, tape: tape)
        let e = try energyOutput(outputs, energy, graph: graph)
        let tangents = tape.tangents(seeds: [(geometry.positions, u)])
        return (outputs, tangents[e] ?? tape.constant(Tensor(zeros: e.shape)))
    }

    /// `σ_g` `[G, 3, 3]` (row-major `σ_ij`) from the gradients of `gradients(…)`; zero for graphs
    /// without a cell.
    public static func stress<T>(_ graph: AtomGraph, positionGradient gx: Tensor<T>, cellGradient gc: Tensor<T>) -> [Double] {
        let G = graph.graphCount
        var out = [Double](repeating: 0, count: 9 * G)
        let px = gx.scalars, pc = gc.scalars
        for (a, x) in graph.positions.enumerated() {
            let g = Int(graph.atomGraph[a])
            for i in 0..<3 { for j in 0..<3 { out[9 * g + 3 * i + j] += Double(px[3 * a + i]) * x[j] } }
        }
        for g in 0..<G {
            let a0 = graph.cells[3 * g], a1 = graph.cells[3 * g + 1], a2 = graph.cells[3 * g + 2]
            let volume = abs(a0.x * (a1.y * a2.z - a1.z * a2.y) - a0.y * (a1.x * a2.z - a1.z * a2.x) + a0.z * (a1.x * a2.y - a1.y * a2.x))
            guard volume > 0 else { for k in 0..<9 { out[9 * g + k] = 0 }; continue }
            for (k, row) in [a0, a1, a2].enumerated() {
                for i in 0..<3 { for j in 0..<3 { out[9 * g + 3 * i + j] += Double(pc[9 * g + 3 * k + i]) * row[j] } }
            }
            for k in 0..<9 { out[9 * g + k] /= volume }
        }
        return out
    }

    static func energyOutput<T>(_ outputs: [String: Variable<T>], _ name: String, graph: AtomGraph) throws -> Variable<T> {
        guard let e = outputs[name], e.shape == [graph.graphCount, 1] else {
            throw ModelError.unsupportedOutput(name: name, reason: "conservative forces need a graph-level scalar output '\(name)'")
        }
        return e
    }
}
