/// One column group of an extended-XYZ `Properties=name:type:count:…` specification.
/// Types: `S` string, `R` real, `I` integer, `L` logical (T/F).
public struct XYZProperty: Equatable, Sendable {
    public enum ValueType: String, Sendable { case string = "S", real = "R", integer = "I", logical = "L" }
    public var name: String
    public var type: ValueType
    public var count: Int
    /// First column (0-based) of this property in an atom line.
    public var column: Int

    public init(name: String, type: ValueType, count: Int, column: Int) {
        self.name = name
        self.type = type
        self.count = count
        self.column = column
    }

    /// The ASE default for files without `Properties`: `species:S:1:pos:R:3`.
    public static let defaultSpec = "species:S:1:pos:R:3"

    /// Most columns an atom line may declare in all: a bound on user data, so that the column
    /// arithmetic cannot overflow (`x:R:9223372036854775807`).
    public static let maximumColumns = 1 << 20

    /// Parses `name:type:count` triples.
    /// - Throws: a message (the caller adds file and line) on a malformed specification.
    static func parse(_ spec: String) throws -> [XYZProperty] {
        let f = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard f.count % 3 == 0, !f.isEmpty else {
            throw XYZInfoLine.Failure(message: "Properties=\(spec) is not a list of name:type:count triples")
        }
        var out: [XYZProperty] = []
        var col = 0
        for k in stride(from: 0, to: f.count, by: 3) {
            guard let t = ValueType(rawValue: f[k + 1].uppercased()) else {
                throw XYZInfoLine.Failure(message: "Properties: unknown type '\(f[k + 1])' for \(f[k]) (expected S, R, I or L)")
            }
            guard let n = Int(f[k + 2]), n >= 1 else {
                throw XYZInfoLine.Failure(message: "Properties: bad column count '\(f[k + 2])' for \(f[k])")
            }
            guard n <= maximumColumns - col else {
                throw XYZInfoLine.Failure(message: "Properties: \(f[k]) brings the columns to more than \(maximumColumns)")
            }
            guard !f[k].isEmpty, !out.contains(where: { $0.name == f[k] }) else {
                throw XYZInfoLine.Failure(message: "Properties: empty or repeated name '\(f[k])'")
            }
            out.append(XYZProperty(name: f[k], type: t, count: n, column: col))
            col += n
        }
        return out
    }
}
