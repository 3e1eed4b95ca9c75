import Foundation

/// The output side of `se3 prepare <dataset>`: `OUT/train/`, `OUT/val/`, `OUT/test/`, each a
/// `ShardedDatasetWriter` with K shards (structure i of a split goes to shard `i mod K`).
/// `finish(extensive:)` closes the writers, computes `DatasetStatistics` on the train split,
/// writes them into every shard of every split and re-opens every split with full validation.
public final class SplitDatasetWriter {
    public static let splitNames = ["train", "val", "test"]

    /// `OUT/train`, `OUT/val`, `OUT/test`.
    public let directories: [String]
    public let writers: [ShardedDatasetWriter]

    /// What `finish` wrote.
    public struct Result: Sendable {
        /// Structures per split, in `splitNames` order (as read back).
        public var splitCounts: [Int]
        /// Every shard file of every split.
        public var files: [String]
        /// Statistics of the train split (in every shard).
        public var statistics: DatasetStatistics
    }

    /// Checks the common command-line values: three fractions, `shards ≥ 1`, `limit ≥ 0`.
    public static func validate(fractions: [Double], shards: Int, limit: Int?) throws {
        guard fractions.count == splitNames.count else {
            throw DataError(file: "command line", field: "--split", "expected three fractions train,val,test, got \(fractions.count)")
        }
        guard shards >= 1 else { throw DataError(file: "command line", field: "--shards", "must be at least 1") }
        if let l = limit, l < 0 { throw DataError(file: "command line", field: "--limit", "must be non-negative") }
    }

    /// Creates the three split directories (removing old `shard-*.h5` there) and their shards.
    public init(output: String, shards: Int, targets: [TargetInfo], chunkRows: Int = 1024) throws {
        directories = Self.splitNames.map { (output as NSString).appendingPathComponent($0) }
        writers = try directories.map {
            try ShardedDatasetWriter(directory: $0, shards: shards, targets: targets, chunkRows: chunkRows)
        }
    }

    /// Appends `s` to split `split` (0 = train, 1 = val, 2 = test).
    public func append(_ s: Structure, split: Int) throws {
        try writers[split].append(s)
    }

    /// Closes the shards, then computes the train statistics (`extensive`: graph scalar targets
    /// with element references) and writes them into every shard; re-opens each split with
    /// full validation.
    public func finish(extensive: Set<String>) throws -> Result {
        for w in writers { try w.close() }
        let train = try Dataset(path: directories[0], validateContents: false)
        let stats = try DatasetStatistics.compute(source: train, extensive: extensive, sourceName: directories[0])
        train.close()
        let files = writers.flatMap(\.paths)
        for f in files { try stats.write(toShardAt: f) }
        // What we wrote must read back.
        let counts = try directories.map { dir -> Int in
            let d = try Dataset(path: dir)
            defer { d.close() }
            return d.count
        }
        return Result(splitCounts: counts, files: files, statistics: stats)
    }
}
