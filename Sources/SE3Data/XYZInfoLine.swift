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
        /// UTF-8 byte offsets of the whole `key=value` text in the line.
        var span: Range<Int> = 0..<0
    }

    var entries: [Entry] = []

    /// - Throws: a message (the caller adds file and line) on an unterminated quote or bracket.
    ///
    /// Works on the UTF-8 bytes: every delimiter is ASCII (whitespace = space, tab, CR, LF, VT, FF),
    /// other bytes (also multi-byte characters in values) are copied unchanged.
    init(_ s: String) throws {
        let c = Array(s.utf8)
        let quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'"), backslash = UInt8(ascii: "\\")
        let equals = UInt8(ascii: "=")
        var i = 0
        func skipSpace() { while i < c.count && XYZInfoLine.isSpace(c[i]) { i += 1 } }
        func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
        func readQuoted(_ close: UInt8) throws -> String {
            var out: [UInt8] = []
            i += 1
            while i < c.count && c[i] != close {
                if c[i] == backslash && i + 1 < c.count && close == quote { i += 1 }
                out.append(c[i]); i += 1
            }
            guard i < c.count else {
                throw XYZInfoLine.Failure(message: "unterminated \(Character(Unicode.Scalar(close))) in the comment line")
            }
            i += 1
            return text(out[...])
        }
        func readBracketed(_ open: UInt8, _ close: UInt8) throws -> String {
            var depth = 0
            let first = i
            repeat {
                if c[i] == open { depth += 1 } else if c[i] == close { depth -= 1 }
                i += 1
            } while i < c.count && depth > 0
            guard depth == 0 else {
                throw XYZInfoLine.Failure(message: "unterminated \(Character(Unicode.Scalar(open))) in the comment line")
            }
            return text(c[(first + 1)..<(i - 1)])
        }
        func readBare() -> String {
            let first = i
            while i < c.count && !XYZInfoLine.isSpace(c[i]) { i += 1 }
            return text(c[first..<i])
        }
        while true {
            skipSpace()
            if i >= c.count { break }
            let entryStart = i
            var key = ""
            if c[i] == quote || c[i] == apostrophe { key = try readQuoted(c[i]) }
            else {
                let first = i
                while i < c.count && !XYZInfoLine.isSpace(c[i]) && c[i] != equals { i += 1 }
                key = text(c[first..<i])
            }
            var entryEnd = i
            skipSpace()
            var raw = "T"
            if i < c.count && c[i] == equals {
                i += 1
                skipSpace()
                if i >= c.count { raw = "" }
                else if c[i] == quote || c[i] == apostrophe { raw = try readQuoted(c[i]) }
                else if c[i] == UInt8(ascii: "{") { raw = try readBracketed(UInt8(ascii: "{"), UInt8(ascii: "}")) }
                else if c[i] == UInt8(ascii: "[") { raw = try readBracketed(UInt8(ascii: "["), UInt8(ascii: "]")) }
                else { raw = readBare() }
                entryEnd = i
            }
            let numbers = XYZInfoLine.numbers(raw)
            let entry = Entry(key: key, raw: raw, numbers: numbers, bools: numbers == nil ? XYZInfoLine.bools(raw) : nil,
                              span: entryStart..<entryEnd)
            // a repeated key replaces the earlier value (as ASE's dict does), keeping its position
            if let k = entries.firstIndex(where: { $0.key == key }) { entries[k] = entry } else { entries.append(entry) }
        }
    }

    /// ASCII whitespace: space, tab, LF, VT, FF, CR.
    static func isSpace(_ b: UInt8) -> Bool { b == 32 || (b >= 9 && b <= 13) }

    struct Failure: Error { var message: String }

    /// Value tokens: split on ASCII whitespace, commas and square brackets.
    static func tokens(_ raw: String) -> [Substring] {
        raw.utf8.split(whereSeparator: { isSpace($0) || $0 == 44 || $0 == 91 || $0 == 93 }).map { Substring($0) }
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
