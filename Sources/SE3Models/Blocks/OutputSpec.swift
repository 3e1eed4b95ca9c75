/// One output head of a model, mirroring a dataset target.
///
/// Shapes returned by `GraphModel.forward`: graph outputs [G, k], atom outputs [A, k], with
/// k = 1 (scalar, 0e), 3 (vector, 1o, Cartesian x y z), 9 (rank 2, 0e + 2e, a symmetric Cartesian
/// matrix, row-major). Values are in standardised units; the trainer maps them to physical units.
public struct OutputSpec: Codable, Equatable, Sendable {
    public enum Level: String, Codable, Sendable { case graph, atom }
    public enum Kind: String, Codable, Sendable {
        case scalar, vector, rank2
        public var components: Int { self == .scalar ? 1 : (self == .vector ? 3 : 9) }
    }

    public var name: String
    public var level: Level
    public var kind: Kind
    /// Extensive graph scalars (energies) are a sum over atoms; intensive ones use the readout.
    public var extensive: Bool

    public init(name: String, level: Level, kind: Kind, extensive: Bool = false) {
        self.name = name
        self.level = level
        self.kind = kind
        self.extensive = extensive
    }
}
