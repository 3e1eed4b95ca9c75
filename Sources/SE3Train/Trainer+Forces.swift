import SE3Data
import SE3Models
import SE3Tensor

extension Trainer {
    /// Adds the parameter gradient of one batch's loss with conservative forces to the store and
    /// returns the per-structure losses (`docs/forces.md`):
    ///
    ///     L = Σ_{targets ≠ F} L_t(ŷ_t) + L_F(F̂),    F̂ = F/σ_F = −s ∂ŷ_E/∂x,   s = σ_E/σ_F
    ///     ∇_θ L = ∇_θ [ Σ_t L_t(ŷ_t) − s Σ_g Ė_g ],   Ė = the JVP of ŷ_E along ẋ = u = ∂L_F/∂F̂
    ///
    /// Pass 1 (parameters constant) gives `F̂` and so `u`; pass 2 records the forward pass, the
    /// tangent `Ė` (forward rules) and one backward pass for every parameter at once.
    func accumulateForceGradients(_ batch: GraphBatch, _ forces: TargetNormalizer.ConservativeForceTargets) throws -> [Double] {
        let graph = AtomGraph(batch)
        let targets = try normalizer.standardizedTargets(batch)
        let first = try ConservativeForces.gradients(model, graph: graph, energy: forces.energy.name)
        let predicted = first.positions * T(-forces.scale)
        let (forceLoss, direction) = loss.term(forces.forces, prediction: predicted, target: targets[forces.forces.name] ?? [],
                                               batch: batch)
        let tape = Tape<T>(store: model.store)
        let (outputs, energyTangent) = try ConservativeForces.directionalDerivative(model, graph: graph, energy: forces.energy.name,
                                                                                   direction: direction, tape: tape)
        let (rest, per) = try loss.evaluate(outputs: outputs, targets: targets, normalizer: normalizer, batch: batch, tape: tape,
                                            skipping: [forces.forces.name])
        tape.backward(rest - sum(energyTangent) * T(forces.scale))
        return zip(per, forceLoss).map { $0 + $1 }
    }
}
