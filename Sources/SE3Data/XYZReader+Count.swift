extension XYZReader {
    /// Number of frames in an XYZ file, from the atom-count lines only (atom lines are skipped
    /// unparsed), e.g. to size a train/validation/test split before streaming the frames.
    /// - Throws: `DataError` (file, "line L") on a bad atom-count line or a truncated frame.
    public static func countFrames(path: String) throws -> Int {
        try countFrames(XYZLineReader(path: path))
    }

    /// `countFrames` for an in-memory text.
    public static func countFrames(text: String, name: String = "<text>") throws -> Int {
        try countFrames(XYZLineReader(text: text, name: name))
    }

    static func countFrames(_ lines: XYZLineReader) throws -> Int {
        var frames = 0
        var tok: [Range<Int>] = []
        while true {
            guard let (n, countLine) = try nextAtomCount(lines, frame: frames, tokens: &tok) else { return frames }
            for k in 0..<(n + 1) where !lines.advance() {
                throw DataError(file: lines.name, field: "line \(lines.lineNumber + 1)",
                                "truncated file: frame \(frames) (count on line \(countLine)) declares \(n) atoms, the file ends after \(max(0, k - 1))")
            }
            frames += 1
        }
    }

    /// Skips blank lines and parses the next atom-count line: `(atoms, line number)`, or nil
    /// at the end of the input.
    static func nextAtomCount(_ lines: XYZLineReader, frame: Int, tokens tok: inout [Range<Int>]) throws -> (Int, Int)? {
        var found = false
        while lines.advance() { if !lines.isBlank { found = true; break } }
        guard found else { return nil }
        lines.tokens(into: &tok)
        guard tok.count == 1, let n = lines.integer(tok[0]), n >= 0 else {
            throw DataError(file: lines.name, field: "line \(lines.lineNumber)",
                            "frame \(frame): expected the number of atoms, got '\(lines.text)'")
        }
        return (n, lines.lineNumber)
    }
}
