import Foundation

/// `se3 prepare xyz`: converts an extended-XYZ file (as ASE writes it, read by `XYZReader`)
/// into `OUT/train/`, `OUT/val/`, `OUT/test/`, each a directory of K shards, with
/// `/statistics` of the train split in every shard.
///
/// Streaming, in two passes over the file, never holding more than one frame:
/// 1. `XYZReader.countFramesWithLattice` counts the frames N (only the first `limit` are used)
///    and the frames with a `Lattice`; `DatasetSplit.assign(count:fractions:using:)` draws the
///    split of frames 0..<N from the caller's generator (the CLI passes `SeededGenerator(seed:)`),
///    so it is deterministic for a seed, disjoint and covering;
/// 2. frames are streamed by `XYZReader` into the split's `ShardedDatasetWriter`: within a split
///    frames keep file order and go round-robin to the K shards.
///
/// Mapping: `/ids` = frame index in the file (0-based), `/cell` + `/pbc` from `Lattice` / `pbc`,
/// graph targets from numeric comment-line keys (`energy`, `free_energy`, `stress`, ...), atom
/// targets from real per-atom properties (`forces`, ...); see `XYZReader`. Units are guessed from
/// the names (`XYZReader.defaultUnits`: energies eV, forces eV/Å, stress eV/Å^3) and can be
/// overridden with `units`. When some frames have a `Lattice` and others do not, the others are
/// stored with a zero cell and `pbc = F F F` (non-periodic; a shard has cells for all or none).
///
/// Extensive targets (per-element references in the statistics) are `extensive` when given,
/// else `defaultExtensive(targets)`: the graph-level scalars whose name contains "energy"
/// (case-insensitive), e.g. `energy`, `free_energy`, `total_energy`.
public struct XYZPreparation {
    public var input: String
    public var output: String
    public var limit: Int?
    public var shards: Int
    public var fractions: [Double]
    public var chunkRows: Int
    /// Units by target name, replacing the guessed ones.
    public var units: [String: String]
    /// Extensive targets; nil = `defaultExtensive(targets)`.
    public var extensive: Set<String>?
    public var options: XYZReader.Options

    public init(input: String, output: String, limit: Int? = nil, shards: Int = 1,
                fractions: [Double] = [0.8, 0.1, 0.1], chunkRows: Int = 1024,
                units: [String: String] = [:], extensive: Set<String>? = nil,
                options: XYZReader.Options = XYZReader.Options()) {
        self.input = input
        self.output = output
        self.limit = limit
        self.shards = shards
        self.fractions = fractions
        self.chunkRows = chunkRows
        self.units = units
        self.extensive = extensive
        self.options = options
    }

    /// What was written.
    public struct Summary: Sendable {
        /// Frames written (all splits).
        public var structures: Int
        /// Structures per split, in `SplitDatasetWriter.splitNames` order.
        public var splitCounts: [Int]
        public var directories: [String]
        public var files: [String]
        /// The dataset's targets (units after overrides).
        public var targets: [TargetInfo]
        /// Targets with element references in the statistics.
        public var extensive: Set<String>
        /// Comment-line keys and per-atom properties of the first frame that were not imported.
        public var ignoredKeys: [String]
        public var statistics: DatasetStatistics
    }

    /// Graph-level scalar targets whose name contains "energy" (case-insensitive).
    public static func defaultExtensive(_ targets: [TargetInfo]) -> Set<String> {
        Set(targets.filter { $0.level == .graph && $0.kind == .scalar && $0.name.lowercased().contains("energy") }.map(\.name))
    }

    /// Parses `name=unit` (the CLI's `--units`); the unit may be empty.
    public static func parseUnits(_ items: [String]) throws -> [String: String] {
        var out: [String: String] = [:]
        for item in items {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw DataError(file: "command line", field: "--units", "expected name=unit, got \"\(item)\"")
            }
            out[String(item[..<eq])] = String(item[item.index(after: eq)...])
        }
        return out
    }

    /// Runs the conversion; `progress(done, total)` is called every 100 frames written and after the last.
    public func run<G: RandomNumberGenerator>(using rng: inout G, progress: ((Int, Int) -> Void)? = nil) throws -> Summary {
        try SplitDatasetWriter.validate(fractions: fractions, shards: shards, limit: limit)
        let reader = try XYZReader(path: input, options: options)
        let (frames, withLattice) = try XYZReader.countFramesWithLattice(path: input)
        let n = min(frames, limit ?? frames)
        guard n > 0 else { throw DataError(file: input, field: "frames", "no frames to import") }
        let targets = try applyUnits(reader.targets)
        let extensiveTargets = try checkedExtensive(targets)
        let zeroCells = withLattice > 0 && withLattice < frames
        let part = try DatasetSplit.assign(count: n, fractions: fractions, using: &rng)
        let out = try SplitDatasetWriter(output: output, shards: shards, targets: targets, chunkRows: chunkRows)
        var i = 0
        while i < n, var s = try reader.next() {
            if zeroCells && s.cell == nil {
                s.cell = [SIMD3<Double>](repeating: .zero, count: 3)
                s.pbc = .zero
            }
            do {
                try out.append(s, split: Int(part[i]))
            } catch let e as DataError {
                throw DataError(file: input, field: "frame \(i)", "\(e.message) (writing \(e.file): \(e.field))")
            }
            i += 1
            if i % 100 == 0 || i == n { progress?(i, n) }
        }
        guard i == n else {
            throw DataError(file: input, field: "frames", "read \(i) frames but counted \(n); did the file change?")
        }
        let result = try out.finish(extensive: extensiveTargets)
        return Summary(structures: n, splitCounts: result.splitCounts, directories: out.directories, files: result.files,
                       targets: targets, extensive: extensiveTargets, ignoredKeys: reader.ignoredKeys,
                       statistics: result.statistics)
    }

    /// The reader's targets with `units` applied; naming an unknown target is an error.
    func applyUnits(_ targets: [TargetInfo]) throws -> [TargetInfo] {
        let names = Set(targets.map(\.name))
        for name in units.keys.sorted() where !names.contains(name) {
            throw DataError(file: input, field: "--units", "no target named \(name) (targets: \(targets.map(\.name).joined(separator: ", ")))")
        }
        return targets.map { t in
            var t = t
            if let u = units[t.name] { t.units = u }
            return t
        }
    }

    /// `extensive` (or the default), each naming a graph-level scalar target.
    func checkedExtensive(_ targets: [TargetInfo]) throws -> Set<String> {
        guard let wanted = extensive else { return Self.defaultExtensive(targets) }
        for name in wanted.sorted() {
            guard let t = targets.first(where: { $0.name == name }) else {
                throw DataError(file: input, field: "--extensive", "no target named \(name) (targets: \(targets.map(\.name).joined(separator: ", ")))")
            }
            guard t.level == .graph, t.kind == .scalar else {
                throw DataError(file: input, field: "--extensive", "\(name) is a \(t.level.rawValue)-level \(t.kind.rawValue); only graph-level scalars can be extensive")
            }
        }
        return wanted
    }
}
