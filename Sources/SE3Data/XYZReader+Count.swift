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

    /// Number of frames and how many of them have a `Lattice` (their comment lines are parsed;
    /// atom lines are skipped unparsed). `se3 prepare xyz` uses it to size the split and to
    /// decide whether non-periodic frames need a zero cell (a dataset has cells for all
    /// structures or for none).
    /// - Throws: `DataError` (file, "line L") on a bad atom-count or comment line, or a truncated frame.
    public static func countFramesWithLattice(path: String) throws -> (frames: Int, withLattice: Int) {
        try countFramesWithLattice(XYZLineReader(path: path))
    }

    /// `countFramesWithLattice` for an in-memory text.
    public static func countFramesWithLattice(text: String, name: String = "<text>") throws -> (frames: Int, withLattice: Int) {
        try countFramesWithLattice(XYZLineReader(text: text, name: name))
    }

    static func countFramesWithLattice(_ lines: XYZLineReader) throws -> (frames: Int, withLattice: Int) {
        var withLattice = 0
        let frames = try countFrames(lines) { frame in
            do {
                if try XYZInfoLine(lines.text).entry("Lattice") != nil { withLattice += 1 }
            } catch let e as XYZInfoLine.Failure {
                throw DataError(file: lines.name, field: "line \(lines.lineNumber)", "frame \(frame): \(e.message)")
            }
        }
        return (frames, withLattice)
    }

    /// Counts frames; `commentLine(frame)` (if given) is called with the reader on each frame's
    /// comment line.
    static func countFrames(_ lines: XYZLineReader, commentLine: ((Int) throws -> Void)? = nil) throws -> Int {
        var frames = 0
        var tok: [Range<Int>] = []
        while try skipFrame(lines, frame: frames, tokens: &tok, commentLine: commentLine) { frames += 1 }
        return frames
    }

    /// Reads past one frame (atom lines unparsed); false at the end of the input.
    static func skipFrame(_ lines: XYZLineReader, frame: Int, tokens tok: inout [Range<Int>],
                          commentLine: ((Int) throws -> Void)? = nil) throws -> Bool {
        guard let (n, countLine) = try nextAtomCount(lines, frame: frame, tokens: &tok) else { return false }
        for k in 0..<(n + 1) {
            guard lines.advance() else {
                throw DataError(file: lines.name, field: "line \(lines.lineNumber + 1)",
                                "truncated file: frame \(frame) (count on line \(countLine)) declares \(n) atoms, the file ends after \(max(0, k - 1))")
            }
            if k == 0 { try commentLine?(frame) }
        }
        return true
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
