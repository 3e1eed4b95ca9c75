import SE3Config

/// The registry of architectures (`model.name`): the one list that config decoding, validation,
/// `ModelFactory` and `se3 --help` read. Adding a model is one case here (its `configType`) and
/// one folder holding its `ArchitectureConfig` and `GraphModel` (see docs/architecture.md).
public enum Architecture: String, ConfigChoice {
    /// Tensor Field Network (Thomas et al. 2018; seed eq. 5-7).
    case tfn
    /// SE(3)-Transformer (Fuchs et al. 2020; seed eq. 8-12).
    case se3Transformer = "se3_transformer"
    /// eSCN (Passaro & Zitnick 2023; seed eq. 13-16).
    case escn

    /// The typed config of this architecture.
    public var configType: any ArchitectureConfig.Type {
        switch self {
        case .tfn: return TFNConfig.self
        case .se3Transformer: return SE3TransformerConfig.self
        case .escn: return ESCNConfig.self
        }
    }

    /// `name: summary` for every architecture, one per line (for help texts).
    public static var catalogue: String {
        allCases.map { "\($0.rawValue): \($0.configType.summary)" }.joined(separator: "\n")
    }
}
