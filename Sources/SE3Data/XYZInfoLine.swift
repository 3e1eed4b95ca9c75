/// The key=value pairs of an extended-XYZ comment line (line 2 of a frame), parsed as ASE
/// does: `key=value`, `key = value`, values quoted with "…" (backslash escapes) or '…', or
/// bracketed with {…} / […]; a bare `key` means `key=T`. Keys keep their order; a repeated
/// key keeps its last value.
struct XYZInfoLine {
    struct Entry {
        var key: String
        /// The value text without quotes / outer brackets.
        var raw: String
        /// All tokens as numbers (tokens split on whitespace and commas, inner brackets removed), if they all parse.
        var numbers: [Double]?
        /// All tokens as booleans (T/F/True/False), if they all parse.
        var bools: [Bool]?
    }

    var entries: [Entry] = []

    /// - Throws: a message (the caller adds file and line) on an unterminated quote or bracket.
    init(_ s: String) throws {
        let c = Array(s)
        var i = 0
        func skipSpace() { while i < c.count && c[i].isWhitespace { i += 1 } }
        func readQuoted(_ close: Character) throws -> String {
            var out = ""
            i += 1
            while i < c.count && c[i] != close {
                if c[i] == "\\" && i + 1 < c.count && close == "\"" { i += 1 }
                out.append(c[i]); i += 1
            }
            guard i < c.count else { throw XYZInfoLine.Failure(message: "unterminated \(close) in the comment line") }
            i += 1
            return out
        }
        func readBracketed(_ open: Character, _ close: Character) throws -> String {
            var depth = 0
            var out = ""
            repeat {
                if c[i] == open { depth += 1 } else if c[i] == close { depth -= 1 }
                out.append(c[i]); i += 1
            } while i < c.count && depth > 0
            guard depth == 0 else { throw XYZInfoLine.Failure(message: "unterminated \(open) in the comment line") }
            return String(out.dropFirst().dropLast())
        }
        while true {
            skipSpace()
            if i >= c.count { break }
            var key = ""
            if c[i] == "\"" || c[i] == "'" { key = try readQuoted(c[i]) }
            else { while i < c.count && !c[i].isWhitespace && c[i] != "=" { key.append(c[i]); i += 1 } }
            skipSpace()
            var raw = "T"
            if i < c.count && c[i] == "=" {
                i += 1
                skipSpace()
                if i >= c.count { raw = "" }
                else if c[i] == "\"" || c[i] == "'" { raw = try readQuoted(c[i]) }
                else if c[i] == "{" { raw = try readBracketed("{", "}") }
                else if c[i] == "[" { raw = try readBracketed("[", "]") }
                else { raw = ""; while i < c.count && !c[i].isWhitespace { raw.append(c[i]); i += 1 } }
            }
            let entry = Entry(key: key, raw: raw, numbers: XYZInfoLine.numbers(raw), bools: XYZInfoLine.bools(raw))
            // a repeated key replaces the earlier value (as ASE's dict does), keeping its position
            if let k = entries.firstIndex(where: { $0.key == key }) { entries[k] = entry } else { entries.append(entry) }
        }
    }

    struct Failure: Error { var message: String }

    static func tokens(_ raw: String) -> [Substring] {
        raw.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == "[" || $0 == "]" })
    }

    static func numbers(_ raw: String) -> [Double]? {
        let t = tokens(raw)
        guard !t.isEmpty else { return nil }
        var out: [Double] = []
        out.reserveCapacity(t.count)
        for x in t {
            guard let v = Double(x) else { return nil }
            out.append(v)
        }
        return out
    }

    static func bool(_ x: Substring) -> Bool? {
        switch x {
        case "T", "True", "true", "TRUE": return true
        case "F", "False", "false", "FALSE": return false
        default: return nil
        }
    }

    static func bools(_ raw: String) -> [Bool]? {
        let t = tokens(raw)
        guard !t.isEmpty else { return nil }
        var out: [Bool] = []
        for x in t {
            guard let b = bool(x) else { return nil }
            out.append(b)
        }
        return out
    }

    func entry(_ key: String) -> Entry? {
        entries.first { $0.key.lowercased() == key.lowercased() }
    }
}
