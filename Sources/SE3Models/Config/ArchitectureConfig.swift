import SE3Tensor

/// The typed config of one architecture: the keys of the `model:` section that only it reads
/// (the shared ones are in `CommonModelConfig`), their validation, and how to build the model.
/// Each architecture has one (`TFNConfig`, …) and one case in `Architecture`.
public protocol ArchitectureConfig: Codable, Sendable {
    /// The registry entry this config belongs to.
    static var architecture: Architecture { get }
    /// One line for `se3 --help` and docs, e.g. "Tensor Field Network (seed eq. 5-7)".
    static var summary: String { get }
    /// The keys it reads from the `model:` section.
    static var keys: [String] { get }
    /// Decodes its keys of a `model:` mapping (unknown keys are checked by `ModelConfig`).
    init(from decoder: Decoder) throws
    /// Checks every value; errors name `file` and `model.<key>`.
    func validate(common: CommonModelConfig, file: String) throws
    /// The largest degree of the features the heads read: a vector head needs ≥ 1, a rank-2 head ≥ 2.
    var featureLmax: Int { get }
    /// Whether the model is equivariant under the inversion too (E(3); otherwise only under
    /// rotations, SE(3)): what `se3 check-equivariance` tests.
    var isInversionEquivariant: Bool { get }
    /// The largest relative equivariance error its construction allows in Double, when that is
    /// more than rounding (eSCN's sampled sphere grids); nil for a model exact up to rounding.
    /// `se3 check-equivariance` uses it as the default tolerance.
    var equivarianceTolerance: Double? { get }
    /// Nil when the model supports conservative forces `F = −∂E/∂x` in training (every op of
    /// its energy has a forward-mode rule, `ConservativeForces`); otherwise why not, for the
    /// config error of `targets[i].forces: conservative`.
    var conservativeForcesUnsupported: String? { get }
    /// The model in precision `T`, parameters initialised from `seed`.
    func makeModel<T: TensorScalar>(common: CommonModelConfig, outputs: [OutputSpec], seed: UInt64,
                                    as: T.Type) throws -> any GraphModel<T>
    /// Value equality through the existential.
    func isEqual(to other: any ArchitectureConfig) -> Bool
}

extension ArchitectureConfig {
    public var equivarianceTolerance: Double? { nil }
    public var conservativeForcesUnsupported: String? {
        "its layers have no forward-mode rules, so it cannot train on conservative forces; use `forces: direct` (a force head)"
    }
}

extension ArchitectureConfig where Self: Equatable {
    public func isEqual(to other: any ArchitectureConfig) -> Bool { (other as? Self) == self }
}
