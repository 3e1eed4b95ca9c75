/// How a target transforms under a rotation R (Cartesian form, as stored in a dataset):
/// `scalar`: t ↦ t; `vector`: v ↦ R v; `rank2`: T ↦ R T Rᵀ.
/// Models map them to irreps: scalar → 0e, vector → 1o, symmetric rank 2 → 0e + 2e.
public enum TargetKind: String, Codable, Sendable, CaseIterable {
    case scalar, vector, rank2

    /// Number of stored components per graph or per atom: 1, 3 or 9.
    public var components: Int {
        switch self {
        case .scalar: return 1
        case .vector: return 3
        case .rank2: return 9
        }
    }
}

/// Whether a target belongs to a whole structure (`/graph/<name>`) or to each atom (`/atom/<name>`).
public enum TargetLevel: String, Codable, Sendable, CaseIterable {
    case graph, atom
}

/// Description of one target of a dataset.
public struct TargetInfo: Codable, Equatable, Sendable {
    public var name: String
    public var level: TargetLevel
    public var kind: TargetKind
    /// Units as a string, e.g. "eV", "D", "bohr^3", "e".
    public var units: String

    public init(name: String, level: TargetLevel, kind: TargetKind, units: String) {
        self.name = name
        self.level = level
        self.kind = kind
        self.units = units
    }
}
