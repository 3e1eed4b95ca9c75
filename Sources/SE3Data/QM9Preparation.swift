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
    public static let splitNames = ["train", "val", "test"]

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

    /// Runs the conversion; `progress` is called with the number of molecules written so far
    /// every 10,000 molecules.
    public func run<G: RandomNumberGenerator>(using rng: inout G, progress: ((Int) -> Void)? = nil) throws -> Summary {
        guard fractions.count == 3 else {
            throw DataError(file: "command line", field: "--split", "expected three fractions train,val,test, got \(fractions.count)")
        }
        guard shards >= 1 else { throw DataError(file: "command line", field: "--shards", "must be at least 1") }
        if let l = limit, l < 0 { throw DataError(file: "command line", field: "--limit", "must be non-negative") }
        let importer = try QM9Importer(source: source)
        let n = try importer.countMolecules(limit: limit)
        let part = try DatasetSplit.assign(count: n, fractions: fractions, using: &rng)
        let dirs = Self.splitNames.map { (output as NSString).appendingPathComponent($0) }
        let writers = try dirs.map {
            try ShardedDatasetWriter(directory: $0, shards: shards, targets: QM9Importer.targets, chunkRows: chunkRows)
        }
        var i = 0
        try importer.forEachMolecule(limit: n) { s in
            guard i < n else { return }
            try writers[Int(part[i])].append(s)
            i += 1
            if i % 10_000 == 0 { progress?(i) }
        }
        guard i == n else {
            throw DataError(file: importer.files.joined(separator: ", "), field: "rows",
                            "read \(i) molecules but counted \(n); did the files change?")
        }
        for w in writers { try w.close() }

        let train = try Dataset(path: dirs[0], validateContents: false)
        let stats = try DatasetStatistics.compute(source: train, extensive: QM9Importer.extensiveTargets,
                                                  sourceName: dirs[0])
        train.close()
        let files = writers.flatMap(\.paths)
        for f in files { try stats.write(toShardAt: f) }
        // Re-open everything with full validation: what we wrote must read back.
        let counts = try dirs.map { try Dataset(path: $0).count }
        return Summary(molecules: n, splitCounts: counts, directories: dirs, files: files, statistics: stats)
    }
}
