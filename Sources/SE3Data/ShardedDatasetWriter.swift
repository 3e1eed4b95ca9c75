import Foundation

/// Writes a directory of K shards `shard-00000.h5 ... shard-<K-1>.h5`, sending
/// structure i to shard `i mod K` (shard sizes differ by at most one). Existing
/// `shard-*.h5` files in the directory are removed first; other files are left alone.
public final class ShardedDatasetWriter {
    public let directory: String
    public let writers: [DatasetWriter]
    public private(set) var count = 0

    /// File name of shard `k`.
    public static func shardName(_ k: Int) -> String {
        let digits = String(k)
        return "shard-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + ".h5"
    }

    public init(directory: String, shards: Int, targets: [TargetInfo], chunkRows: Int = 1024,
                atomChunkRows: Int? = nil, deflateLevel: Int? = 4) throws {
        guard shards >= 1 else { throw DataError(file: directory, field: "shards", "shard count must be at least 1, got \(shards)") }
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for name in try fm.contentsOfDirectory(atPath: directory) where name.hasPrefix("shard-") && name.hasSuffix(".h5") {
                try fm.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
            }
        } catch {
            throw DataError(file: directory, field: "directory", "cannot prepare output directory: \(error.localizedDescription)")
        }
        self.directory = directory
        writers = try (0..<shards).map {
            try DatasetWriter(path: (directory as NSString).appendingPathComponent(Self.shardName($0)), targets: targets,
                              chunkRows: chunkRows, atomChunkRows: atomChunkRows, deflateLevel: deflateLevel)
        }
    }

    public var paths: [String] { writers.map(\.path) }

    public func append(_ s: Structure) throws {
        try writers[count % writers.count].append(s)
        count += 1
    }

    /// Statistics written into every shard on `close()`.
    public func setStatistics(_ statistics: DatasetStatistics?) {
        for w in writers { w.statistics = statistics }
    }

    public func close() throws {
        for w in writers { try w.close() }
    }
}
