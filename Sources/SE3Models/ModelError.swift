/// Input a model cannot handle, or a head/config combination it cannot build.
/// Messages name the offending field (and atom / output) so the trainer can report them.
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An atom's element is not in `model.elements` (no embedding for it).
    case unknownElement(atomicNumber: Int, atom: Int, known: [Int])
    /// An output head cannot be built with this config (e.g. rank 2 with `lmax < 2`).
    case unsupportedOutput(name: String, reason: String)
    /// The graph arrays are inconsistent (`field` names the `AtomGraph` property).
    case invalidGraph(field: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownElement(z, atom, known):
            return "model.elements: atom \(atom) has atomic number \(z), which the model has no embedding for (known: \(known.map(String.init).joined(separator: ", ")))"
        case let .unsupportedOutput(name, reason):
            return "output '\(name)': \(reason)"
        case let .invalidGraph(field, reason):
            return "AtomGraph.\(field): \(reason)"
        }
    }
}
