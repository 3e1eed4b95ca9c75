/// Streaming reader for extended XYZ files as written by ASE (`ase.io.write(..., format="extxyz")`).
///
/// Frame layout: line 1 the number of atoms N; line 2 `key=value` pairs (see `XYZInfoLine`),
/// among them `Lattice="a1x a1y a1z a2x a2y a2z a3x a3y a3z"` (rows = lattice vectors, Å),
/// `Properties=species:S:1:pos:R:3:forces:R:3` (default `species:S:1:pos:R:3`, i.e. plain
/// XYZ), `pbc="T T F"` (default `T T T` when a Lattice is given, else non-periodic), and
/// any other info (`energy=-12.3`, `stress="…"`); then N atom lines with the columns of
/// `Properties`.
///
/// Mapping to `Structure`: `species` (element symbols, case-insensitive, or integers) or a
/// `Z:I:1` column (preferred when present) → `atomicNumbers`; `pos` → `positions`;
/// `Lattice` → `cell`; `pbc` → `pbc`; frame index (0-based) → `id`.
/// Targets (see `Options`): per-atom `R` properties with 1 / 3 / 9 columns → atom targets
/// of kind scalar / vector / rank2 (e.g. `forces`); numeric comment-line keys with
/// 1 / 3 / 9 values → graph targets scalar / vector / rank2 (`energy`, `dipole`, `stress`
/// as row-major 3×3); 6 values for `stress`/`virial` are Voigt order (xx, yy, zz, yz, xz, xy)
/// and are expanded to the symmetric 3×3. Other keys are ignored (`ignoredKeys`).
/// The target set is fixed by the first frame; a later frame with a different set is an
/// error naming the file, frame and line. All used numbers must be finite.
///
/// The file is read line by line (C `getline`); one frame is in memory at a time. The
/// first frame is read by the initializer so that `targets` is known before `next()`.
public final class XYZReader {
    /// File name used in errors.
    public let name: String
    public let options: Options
    /// Targets of the file (fixed by the first frame; empty for an empty file).
    public private(set) var targets: [TargetInfo] = []
    /// Comment-line keys and per-atom properties of the first frame that are not used.
    public private(set) var ignoredKeys: [String] = []
    /// Frames returned by `next()` or passed by `skip(_:)` so far.
    public private(set) var framesRead = 0
    /// With `Options.keepText`: the text of the frame `next()` returned last.
    public private(set) var frameText: XYZFrameText?

    struct GraphKey { var name: String; var kind: TargetKind; var voigt: Bool }
    struct AtomKey { var name: String; var kind: TargetKind }

    private let lines: XYZLineReader
    private var pending: Structure?
    private var pendingText: XYZFrameText?
    private var parsedText: XYZFrameText?
    private var graphSchema: [GraphKey] = []
    private var atomSchema: [AtomKey] = []
    private var framesParsed = 0
    private var tok: [Range<Int>] = []

    /// Opens `path` and reads its first frame.
    /// - Throws: `DataError` (file `path`, field "line L") for any problem in the first frame.
    public convenience init(path: String, options: Options = Options()) throws {
        try self.init(lines: XYZLineReader(path: path), options: options)
    }

    /// Reads from an in-memory text (tests, small inputs); `name` is used in errors.
    public convenience init(text: String, name: String = "<text>", options: Options = Options()) throws {
        try self.init(lines: XYZLineReader(text: text, name: name), options: options)
    }

    init(lines: XYZLineReader, options: Options) throws {
        self.lines = lines
        self.name = lines.name
        self.options = options
        pending = try readFrame()
        pendingText = parsedText
    }

    /// The next structure, or nil at the end of the file.
    public func next() throws -> Structure? {
        if let p = pending {
            pending = nil
            frameText = pendingText
            pendingText = nil
            framesRead += 1
            return p
        }
        guard let s = try readFrame() else { frameText = nil; return nil }
        frameText = parsedText
        framesRead += 1
        return s
    }

    /// Passes over the next `count` frames without parsing their atom lines (e.g. to start at
    /// one rank's part of the file); returns how many there were (fewer at the end of the file).
    /// Ids of later frames stay their index in the file.
    /// - Throws: `DataError` (file, "line L") on a bad atom-count line or a truncated frame.
    @discardableResult
    public func skip(_ count: Int) throws -> Int {
        var skipped = 0
        if count > 0, pending != nil {
            pending = nil
            pendingText = nil
            skipped = 1
        }
        while skipped < count, try XYZReader.skipFrame(lines, frame: framesParsed, tokens: &tok) {
            framesParsed += 1
            skipped += 1
        }
        framesRead += skipped
        return skipped
    }

    /// All remaining structures (convenience for small files).
    public func readAll() throws -> [Structure] {
        var out: [Structure] = []
        while let s = try next() { out.append(s) }
        return out
    }

    func fail(_ line: Int, _ message: String) -> DataError {
        DataError(file: name, field: "line \(line)", message)
    }

    private func readFrame() throws -> Structure? {
        let frame = framesParsed
        guard let (n, countLine) = try XYZReader.nextAtomCount(lines, frame: frame, tokens: &tok) else { return nil }
        guard lines.advance() else {
            throw fail(countLine + 1, "truncated file: frame \(frame) ends after its atom-count line")
        }
        let infoLine = lines.lineNumber
        let commentText = options.keepText ? lines.text : ""
        let info: XYZInfoLine
        let props: [XYZProperty]
        do {
            info = try XYZInfoLine(lines.text)
            props = try XYZProperty.parse(info.entry("Properties")?.raw ?? XYZProperty.defaultSpec)
        } catch let e as XYZInfoLine.Failure {
            throw fail(infoLine, "frame \(frame): \(e.message)")
        }

        // cell and periodicity
        var cell: [SIMD3<Double>]?
        if let l = info.entry("Lattice") {
            guard let v = l.numbers, v.count == 9, v.allSatisfy({ $0.isFinite }) else {
                throw fail(infoLine, "frame \(frame): Lattice must be 9 finite numbers, got '\(l.raw)'")
            }
            cell = [SIMD3(v[0], v[1], v[2]), SIMD3(v[3], v[4], v[5]), SIMD3(v[6], v[7], v[8])]
        }
        var pbc: SIMD3<UInt8>?
        if let p = info.entry("pbc") {
            guard let b = p.bools, b.count == 3 || b.count == 1 else {
                throw fail(infoLine, "frame \(frame): pbc must be 3 booleans like \"T T F\", got '\(p.raw)'")
            }
            let bb = b.count == 1 ? [b[0], b[0], b[0]] : b
            pbc = SIMD3(bb[0] ? 1 : 0, bb[1] ? 1 : 0, bb[2] ? 1 : 0)
        } else if cell != nil {
            pbc = SIMD3(1, 1, 1)
        }
        if let p = pbc, p != .zero, cell == nil {
            throw fail(infoLine, "frame \(frame): pbc is periodic but there is no Lattice")
        }

        // columns
        let columns = props.last.map { $0.column + $0.count } ?? 0
        guard let pos = props.first(where: { $0.name == "pos" }), pos.type == .real, pos.count == 3 else {
            throw fail(infoLine, "frame \(frame): Properties must contain pos:R:3")
        }
        let zProp = props.first(where: { $0.name == "Z" && $0.type == .integer && $0.count == 1 })
        let speciesProp = props.first(where: { $0.name == "species" && $0.type == .string && $0.count == 1 })
        guard zProp != nil || speciesProp != nil else {
            throw fail(infoLine, "frame \(frame): Properties must contain species:S:1 or Z:I:1")
        }

        // target schema of this frame
        let special: Set<String> = ["lattice", "properties", "pbc"]
        var graphKeys: [GraphKey] = []
        var ignored: [String] = []
        func graphKind(_ key: String, _ count: Int) -> (TargetKind, Bool)? {
            switch count {
            case 1: return (.scalar, false)
            case 3: return (.vector, false)
            case 9: return (.rank2, false)
            case 6 where ["stress", "virial"].contains(key.lowercased()): return (.rank2, true)
            default: return nil
            }
        }
        if let wanted = options.graphKeys {
            for key in wanted {
                guard let e = info.entries.first(where: { $0.key == key }) else {
                    throw fail(infoLine, "frame \(frame): graph target '\(key)' is missing")
                }
                guard let v = e.numbers, let (k, voigt) = graphKind(key, v.count) else {
                    throw fail(infoLine, "frame \(frame): graph target '\(key)' must be 1, 3 or 9 numbers, got '\(e.raw)'")
                }
                graphKeys.append(GraphKey(name: key, kind: k, voigt: voigt))
            }
            for e in info.entries where !wanted.contains(e.key) && !special.contains(e.key.lowercased()) { ignored.append(e.key) }
        } else {
            for e in info.entries where !special.contains(e.key.lowercased()) {
                if !options.excludedKeys.contains(e.key), let v = e.numbers, let (k, voigt) = graphKind(e.key, v.count),
                   !graphKeys.contains(where: { $0.name == e.key }) {
                    graphKeys.append(GraphKey(name: e.key, kind: k, voigt: voigt))
                } else {
                    ignored.append(e.key)
                }
            }
        }
        func atomKind(_ count: Int) -> TargetKind? { count == 1 ? .scalar : (count == 3 ? .vector : (count == 9 ? .rank2 : nil)) }
        var atomKeys: [AtomKey] = []
        var atomProps: [XYZProperty] = []
        if let wanted = options.atomKeys {
            for key in wanted {
                guard let p = props.first(where: { $0.name == key }), p.type == .real, let k = atomKind(p.count) else {
                    throw fail(infoLine, "frame \(frame): atom target '\(key)' must be an R property with 1, 3 or 9 columns")
                }
                atomKeys.append(AtomKey(name: key, kind: k))
                atomProps.append(p)
            }
        } else {
            for p in props where p.name != "pos" && p.name != "species" && p.name != "Z" {
                if p.type == .real, !options.excludedKeys.contains(p.name), let k = atomKind(p.count) {
                    atomKeys.append(AtomKey(name: p.name, kind: k))
                    atomProps.append(p)
                } else {
                    ignored.append(p.name)
                }
            }
        }
        if frame == 0 {
            graphSchema = graphKeys
            atomSchema = atomKeys
            ignoredKeys = ignored
            targets = graphKeys.map { TargetInfo(name: $0.name, level: .graph, kind: $0.kind, units: XYZReader.defaultUnits($0.name)) }
                + atomKeys.map { TargetInfo(name: $0.name, level: .atom, kind: $0.kind, units: XYZReader.defaultUnits($0.name)) }
        } else {
            // compared without building strings (this runs for every frame)
            let same = graphKeys.count == graphSchema.count && atomKeys.count == atomSchema.count
                && graphKeys.allSatisfy { k in graphSchema.contains { $0.name == k.name && $0.kind == k.kind } }
                && atomKeys.allSatisfy { k in atomSchema.contains { $0.name == k.name && $0.kind == k.kind } }
            if !same {
                let mine = Set(graphKeys.map { "graph \($0.name) \($0.kind)" } + atomKeys.map { "atom \($0.name) \($0.kind)" })
                let first = Set(graphSchema.map { "graph \($0.name) \($0.kind)" } + atomSchema.map { "atom \($0.name) \($0.kind)" })
                throw fail(infoLine, "frame \(frame): targets \(mine.sorted()) differ from the first frame's \(first.sorted())")
            }
        }

        // atom lines
        let reserve = min(n, 1 << 16)  // the count line is user data: do not trust it for allocation
        var atomText: [String] = []
        if options.keepText { atomText.reserveCapacity(reserve) }
        var z = [Int32](); z.reserveCapacity(reserve)
        var positions = [SIMD3<Double>](); positions.reserveCapacity(reserve)
        var atomValues = atomProps.map { p -> [Double] in var a = [Double](); a.reserveCapacity(reserve * p.count); return a }
        for a in 0..<n {
            guard lines.advance() else {
                throw fail(lines.lineNumber + 1, "truncated file: frame \(frame) (count on line \(countLine)) declares \(n) atoms, the file ends after \(a)")
            }
            let L = lines.lineNumber
            if options.keepText { atomText.append(lines.text) }
            lines.tokens(into: &tok)
            guard tok.count == columns else {
                throw fail(L, "frame \(frame), atom \(a): expected \(columns) columns (Properties=\(props.map { "\($0.name):\($0.type.rawValue):\($0.count)" }.joined(separator: ":"))), got \(tok.count)")
            }
            if let zp = zProp {
                guard let v = lines.integer(tok[zp.column]), (1...118).contains(v) else {
                    throw fail(L, "frame \(frame), atom \(a): Z '\(lines.string(tok[zp.column]))' is not an atomic number in 1...118")
                }
                z.append(Int32(v))
            } else {
                let sym = lines.string(tok[speciesProp!.column])
                if let v = DatasetElements.atomicNumber(sym) { z.append(v) }
                else if let v = lines.integer(tok[speciesProp!.column]), (1...118).contains(v) { z.append(Int32(v)) }
                else { throw fail(L, "frame \(frame), atom \(a): unknown element symbol '\(sym)'") }
            }
            var r = SIMD3<Double>.zero
            for d in 0..<3 {
                guard let v = lines.double(tok[pos.column + d]), v.isFinite else {
                    throw fail(L, "frame \(frame), atom \(a), column \(pos.column + d + 1) (pos): '\(lines.string(tok[pos.column + d]))' is not a finite number")
                }
                r[d] = v
            }
            positions.append(r)
            for (k, p) in atomProps.enumerated() {
                for c in 0..<p.count {
                    guard let v = lines.double(tok[p.column + c]), v.isFinite else {
                        throw fail(L, "frame \(frame), atom \(a), column \(p.column + c + 1) (\(p.name)): '\(lines.string(tok[p.column + c]))' is not a finite number")
                    }
                    atomValues[k].append(v)
                }
            }
        }

        var graphTargets: [String: [Double]] = [:]
        for g in graphKeys {
            var v = info.entries.first(where: { $0.key == g.name })!.numbers!
            guard v.allSatisfy({ $0.isFinite }) else {
                throw fail(infoLine, "frame \(frame): graph target '\(g.name)' has a non-finite value")
            }
            if g.voigt { v = [v[0], v[5], v[4], v[5], v[1], v[3], v[4], v[3], v[2]] }
            graphTargets[g.name] = v
        }
        var atomTargets: [String: [Double]] = [:]
        for (k, a) in atomKeys.enumerated() { atomTargets[a.name] = atomValues[k] }
        framesParsed += 1
        parsedText = options.keepText
            ? XYZFrameText(comment: commentText, atomLines: atomText, propertiesSpan: info.entry("Properties")?.span,
                           properties: props, infoKeys: info.entries.map(\.key))
            : nil
        return Structure(atomicNumbers: z, positions: positions, cell: cell, pbc: cell == nil ? nil : pbc,
                         id: Int64(frame), graphTargets: graphTargets, atomTargets: atomTargets)
    }
}
