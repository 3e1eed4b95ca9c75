/// Errors thrown while parsing or validating irreps descriptions.
///
/// The message names the offending text; callers reading a config file should wrap it
/// with the file and field name.
public enum IrrepsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A term of an irreps string could not be parsed (`term`, whole `input`, reason).
    case invalidTerm(term: String, input: String, reason: String)
    /// A single irrep string such as `"1o"` could not be parsed.
    case invalidIrrep(String, reason: String)
    /// A negative degree was supplied.
    case negativeDegree(Int)
    /// A negative multiplicity was supplied.
    case negativeMultiplicity(Int)
    /// A degree beyond what a table-driven routine supports (`what` names the routine).
    case unsupportedDegree(Int, max: Int, what: String)

    public var description: String {
        switch self {
        case let .invalidTerm(term, input, reason):
            return "invalid irreps \"\(input)\": term \"\(term)\": \(reason) (expected e.g. \"16x0e+8x1o+4x2e\")"
        case let .invalidIrrep(s, reason):
            return "invalid irrep \"\(s)\": \(reason) (expected e.g. \"0e\", \"1o\", \"2e\")"
        case let .negativeDegree(l):
            return "invalid irrep degree l = \(l): must be >= 0"
        case let .negativeMultiplicity(m):
            return "invalid multiplicity \(m): must be >= 0"
        case let .unsupportedDegree(l, maxL, what):
            return "unsupported degree lmax = \(l) for \(what): must be in 0...\(maxL)"
        }
    }
}
