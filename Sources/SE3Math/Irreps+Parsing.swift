extension Irrep {
    /// Parses `"<l><e|o|y>"` (surrounding spaces allowed), e.g. `"0e"`, `"1o"`, `"2y"` (= `2e`,
    /// `y` meaning natural parity `(−1)^l`). Throws `IrrepsError.invalidIrrep` otherwise.
    public init(_ text: String) throws {
        let s = text.trimmingWhitespace()
        guard let last = s.last else { throw IrrepsError.invalidIrrep(text, reason: "empty") }
        let digits = s.dropLast()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw IrrepsError.invalidIrrep(text, reason: "degree must be a non-negative integer followed by e, o or y")
        }
        guard let l = Int(digits) else { throw IrrepsError.invalidIrrep(text, reason: "degree too large") }
        guard l <= 1_000_000 else { throw IrrepsError.invalidIrrep(text, reason: "degree too large") }
        switch last {
        case "e": self.init(l, .even)
        case "o": self.init(l, .odd)
        case "y": self.init(l, .natural(l))
        default:
            throw IrrepsError.invalidIrrep(text, reason: "parity must be 'e', 'o' or 'y', got '\(last)'")
        }
    }
}

extension Irreps {
    /// Parses `"16x0e+8x1o+4x2e"`. Spaces around terms and around `x` are allowed, a term
    /// without `x` has multiplicity 1 (`"0e"` = `1x0e`), multiplicity 0 is allowed, and the
    /// empty (or all-blank) string is the empty irreps. Throws `IrrepsError` on anything else,
    /// e.g. `"1x"`, `"x1o"`, `"-1x0e"`, `"2x3q"`, `"0e++1o"`.
    public init(_ text: String) throws {
        if text.trimmingWhitespace().isEmpty { self.init([MulIrrep]()); return }
        var out: [MulIrrep] = []
        for rawTerm in text.split(separator: "+", omittingEmptySubsequences: false) {
            let term = String(rawTerm).trimmingWhitespace()
            if term.isEmpty {
                throw IrrepsError.invalidTerm(term: String(rawTerm), input: text, reason: "empty term")
            }
            let parts = term.split(separator: "x", omittingEmptySubsequences: false)
            let mul: Int
            let irText: String
            switch parts.count {
            case 1:
                mul = 1
                irText = term
            case 2:
                let m = String(parts[0]).trimmingWhitespace()
                guard !m.isEmpty, m.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int(m) else {
                    throw IrrepsError.invalidTerm(term: term, input: text,
                                                  reason: "multiplicity must be a non-negative integer")
                }
                mul = v
                irText = String(parts[1])
            default:
                throw IrrepsError.invalidTerm(term: term, input: text, reason: "more than one 'x'")
            }
            let ir: Irrep
            do { ir = try Irrep(irText) } catch let IrrepsError.invalidIrrep(_, reason) {
                throw IrrepsError.invalidTerm(term: term, input: text, reason: reason)
            }
            out.append(MulIrrep(mul, ir))
        }
        self.init(out)
    }
}

extension Irrep: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        try self.init(try c.decode(String.self))
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

extension Irreps: Codable {
    /// Decodes from the string form, e.g. `"16x0e+8x1o"`.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        do { try self.init(s) } catch let e as IrrepsError {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: e.description)
        }
    }
    /// Encodes as the string form.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

extension String {
    /// Trims ASCII/Unicode whitespace at both ends (Foundation-free).
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
