import Foundation

/// `se3 prepare qm9`: converts the qm9pack CSVs into `OUT/train/`, `OUT/val/`, `OUT/test/`,
/// each a directory of K shards, and writes `/statistics` computed on the train split
/// (`U0`, `U`, `H`, `G`, `zpve` extensive with element references) into every shard.
///
/// The first `limit` molecules in file order are used (all when nil). Split membership is
/// `DatasetSplit.assign(count:fractions:using:)` with the caller's generator (the CLI passes
/// `SeededGenerator(seed:)`), so it is deterministic for a seed. Within a split, molecules keep
/// file order and go round-robin to the K shards. Memory stays bounded: one CSV line and one
/// chunk per dataset per shard are held at a time.
public struct QM9Preparation {
    public static let splitNames = SplitDatasetWriter.splitNames

    public var source: String
    public var output: String
    public var limit: Int?
    public var shards: Int
    public var fractions: [Double]
    public var chunkRows: Int

    public init(source: String, output: String, limit: Int? = nil, shards: Int = 1,
                fractions: [Double] = [0.8, 0.1, 0.1], chunkRows: Int = 1024) {
        self.source = source
        self.output = output
        self.limit = limit
        self.shards = shards
        self.fractions = fractions
        self.chunkRows = chunkRows
    }

    /// What was written.
    public struct Summary: Sendable {
        public var molecules: Int
        /// Structures per split, in `splitNames` order.
        public var splitCounts: [Int]
        public var directories: [String]
        public var files: [String]
        public var statistics: DatasetStatistics
    }

    /// Runs the conversion; `progress(done, total)` is called every 100 molecules written and after the last.
    public func run<G: RandomNumberGenerator>(using rng: inout G, progress: ((Int, Int) -> Void)? = nil) throws -> Summary {
        try SplitDatasetWriter.validate(fractions: fractions, shards: shards, limit: limit)
        let importer = try QM9Importer(source: source)
        let n = try importer.countMolecules(limit: limit)
        let part = try DatasetSplit.assign(count: n, fractions: fractions, using: &rng)
        let out = try SplitDatasetWriter(output: output, shards: shards, targets: QM9Importer.targets, chunkRows: chunkRows)
        var i = 0
        try importer.forEachMolecule(limit: n) { s in
            guard i < n else { return }
            try out.append(s, split: Int(part[i]))
            i += 1
            if i % 100 == 0 || i == n { progress?(i, n) }
        }
        guard i == n else {
            throw DataError(file: importer.files.joined(separator: ", "), field: "rows",
                            "read \(i) molecules but counted \(n); did the files change?")
        }
        let result = try out.finish(extensive: QM9Importer.extensiveTargets)
        return Summary(molecules: n, splitCounts: result.splitCounts, directories: out.directories, files: result.files,
                       statistics: result.statistics)
    }
}
