import SE3Config

/// One entry of the `targets:` list: which dataset target to learn, and its loss weight.
/// Level (graph/atom), kind (scalar/vector/rank2) and units come from the dataset.
public struct TargetConfig: Codable, Equatable {
    public var name: String
    /// Weight of this target's term in the loss (on standardised values).
    public var weight: Double
    /// Extensive graph scalars (energies) are predicted as a sum over atoms plus per-element
    /// references; intensive ones use the model's readout. Default: false.
    public var extensive: Bool
    /// For an atom-level vector target that holds forces: `direct` predicts it with a head of
    /// its own; `conservative` as `F = −∂E/∂x` of the config's energy target (the graph-level
    /// scalar with `extensive: true`), so the forces are exactly those of the predicted energy.
    public var forces: ForceMode

    /// How an atom-level vector target is predicted (`targets[i].forces`).
    public enum ForceMode: String, ConfigChoice { case direct, conservative }

    public init(name: String, weight: Double = 1, extensive: Bool = false, forces: ForceMode = .direct) {
        self.name = name; self.weight = weight; self.extensive = extensive; self.forces = forces
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, weight, extensive, forces }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        weight = try c.decodeIfPresent(Double.self, forKey: .weight) ?? 1
        extensive = try c.decodeIfPresent(Bool.self, forKey: .extensive) ?? false
        forces = try c.decodeIfPresent(ForceMode.self, forKey: .forces) ?? .direct
    }
}
