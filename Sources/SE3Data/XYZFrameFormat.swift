import Foundation

/// Writes extended-XYZ frames as ASE reads them (`ase.io.read(path, ":")`), with added values:
/// graph-level values as comment-line keys (`name=v`, or `name="v1 v2 v3"` for 3 or 9
/// components) and atom-level values as `Properties` columns (`name:R:k`).
///
/// Two sources: a `Structure` (its species, positions, `Lattice`, `pbc`, `id` and every target),
/// or the `XYZFrameText` of a frame read from a file, which is copied unchanged except for the
/// `Properties` entry (extended by the added columns) and the added keys at the end of the
/// comment line and of every atom line. Positions and targets of a structure are written with
/// the shortest text that reads back as the same Double; added values with 10 significant digits.
public enum XYZFrameFormat {
    /// Values to add: `components` values for a comment-line key, atoms · `components` values
    /// (atom-major) for a column group.
    public struct Added: Equatable, Sendable {
        public var name: String
        public var components: Int
        public var values: [Double]

        public init(name: String, components: Int, values: [Double]) {
            self.name = name
            self.components = components
            self.values = values
        }
    }

    /// Keys the writer itself uses for a `Structure`.
    public static let structureKeys: Set<String> = ["species", "pos", "Lattice", "Properties", "pbc", "id"]

    /// Whether `name` can be a comment-line key and a `Properties` name: letters, digits, `_`, `-`, `.`.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { s in
            (s.isASCII && (CharacterSet.alphanumerics.contains(s))) || s == "_" || s == "-" || s == "."
        }
    }

    /// One frame (count line, comment line, atom lines; each ending in "\n") for `s`.
    public static func frame(_ s: Structure, info: [Added] = [], columns: [Added] = []) -> String {
        let n = s.atomCount
        var comment: [String] = []
        let periodicCell = s.cell.flatMap { c in c.count == 3 && c.contains { $0 != .zero } ? c : nil }
        if let c = periodicCell {
            comment.append("Lattice=\"" + c.flatMap { [$0.x, $0.y, $0.z] }.map(exact).joined(separator: " ") + "\"")
        }
        let atomNames = s.atomTargets.keys.sorted().filter { n == 0 || s.atomTargets[$0]!.count % n == 0 }
        var spec = ["species:S:1", "pos:R:3"]
        for name in atomNames { spec.append("\(name):R:\(n > 0 ? s.atomTargets[name]!.count / n : 1)") }
        for c in columns { spec.append("\(c.name):R:\(c.components)") }
        comment.append("Properties=" + spec.joined(separator: ":"))
        if let id = s.id { comment.append("id=\(id)") }
        for name in s.graphTargets.keys.sorted() { comment.append(key(name, s.graphTargets[name]!, exact)) }
        for a in info { comment.append(key(a.name, a.values, number)) }
        let p = periodicCell != nil ? (s.pbc ?? .zero) : .zero
        comment.append("pbc=\"\(flag(p.x)) \(flag(p.y)) \(flag(p.z))\"")

        var out = "\(n)\n" + comment.joined(separator: " ") + "\n"
        for a in 0..<n {
            var line = DatasetElements.symbol(s.atomicNumbers[a])
            let r = s.positions[a]
            line += " " + exact(r.x) + " " + exact(r.y) + " " + exact(r.z)
            for name in atomNames {
                let v = s.atomTargets[name]!, k = v.count / n
                for j in 0..<k { line += " " + exact(v[a * k + j]) }
            }
            for c in columns { line += values(c, atom: a) }
            out += line + "\n"
        }
        return out
    }

    /// One frame copied from `text` with the added keys and columns.
    public static func frame(text: XYZFrameText, info: [Added] = [], columns: [Added] = []) -> String {
        var comment = text.comment
        if !columns.isEmpty {
            let spec = text.properties.map { "\($0.name):\($0.type.rawValue):\($0.count)" }
                + columns.map { "\($0.name):R:\($0.components)" }
            let entry = "Properties=" + spec.joined(separator: ":")
            if let span = text.propertiesSpan {
                let bytes = Array(comment.utf8)
                comment = String(decoding: bytes[..<span.lowerBound], as: UTF8.self) + entry
                    + String(decoding: bytes[span.upperBound...], as: UTF8.self)
            } else {
                comment = entry + (comment.isEmpty ? "" : " " + comment)
            }
        }
        comment = trimmedEnd(comment)
        for a in info { comment += (comment.isEmpty ? "" : " ") + key(a.name, a.values, number) }
        var out = "\(text.atomLines.count)\n" + comment + "\n"
        for (i, line) in text.atomLines.enumerated() {
            var l = trimmedEnd(line)
            for c in columns { l += values(c, atom: i) }
            out += l + "\n"
        }
        return out
    }

    /// 10 significant digits (what a Float32 model's predictions carry, and more).
    public static func number(_ v: Double) -> String { String(format: "%.10g", v) }

    /// The shortest text that reads back as the same Double.
    static func exact(_ v: Double) -> String { "\(v)" }

    static func key(_ name: String, _ v: [Double], _ format: (Double) -> String) -> String {
        v.count == 1 ? "\(name)=\(format(v[0]))" : "\(name)=\"" + v.map(format).joined(separator: " ") + "\""
    }

    static func values(_ c: Added, atom a: Int) -> String {
        var s = ""
        for j in 0..<c.components { s += " " + number(c.values[a * c.components + j]) }
        return s
    }

    static func flag(_ b: UInt8) -> String { b != 0 ? "T" : "F" }

    static func trimmedEnd(_ s: String) -> String {
        var t = Substring(s)
        while let last = t.unicodeScalars.last, last == " " || last == "\t" || last == "\r" { t = t.dropLast() }
        return String(t)
    }
}
