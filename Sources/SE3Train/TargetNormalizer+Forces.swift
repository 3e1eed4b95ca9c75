import SE3Data

extension TargetNormalizer {
    /// The targets of conservative-force training: the energy (graph-level scalar, extensive) and
    /// the forces (`conservative`), with the factor between their standardised units:
    ///
    ///     F/σ_F = −(σ_E/σ_F) ∂ŷ_E/∂x        (ŷ_E the energy head's standardised output)
    public struct ConservativeForceTargets: Sendable {
        public var energy: Target
        public var forces: Target
        /// `σ_E/σ_F` (Å).
        public var scale: Double { energy.std / forces.std }
    }

    /// Nil without a conservative force target.
    public var conservativeForces: ConservativeForceTargets? {
        guard let f = targets.first(where: \.conservative),
              let e = targets.first(where: { $0.extensive && $0.level == .graph && $0.kind == .scalar }) else { return nil }
        return ConservativeForceTargets(energy: e, forces: f)
    }
}
