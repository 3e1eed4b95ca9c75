import Foundation

/// A dataset: one shard file, or a directory of `*.h5` shards read in name order.
/// Global index i maps to (shard, local index) by the cumulative shard sizes. All shards
/// must declare the same targets (name, level, kind, units) and the same statistics.
public final class Dataset: StructureSource {
    public let path: String
    public let shards: [DatasetShard]
    /// `starts[k]` is the global index of shard k's first structure (`shards.count + 1` entries).
    public let starts: [Int]
    public let count: Int
    public let atomCount: Int
    public let targets: [TargetInfo]
    public let statistics: DatasetStatistics?

    /// Opens and validates `path` (a `.h5` file or a directory of them); see `DatasetShard`.
    /// `chunkCacheBytes` is passed to every shard (see `DatasetShard`).
    public init(path: String, validateContents: Bool = true, chunkCacheBytes: Int? = nil) throws {
        self.path = path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw DataError(file: path, field: "path", "no such file or directory")
        }
        var files: [String]
        if isDir.boolValue {
            let names = try FileManager.default.contentsOfDirectory(atPath: path)
            files = names.filter { $0.hasSuffix(".h5") }.sorted().map { (path as NSString).appendingPathComponent($0) }
            guard !files.isEmpty else { throw DataError(file: path, field: "shards", "no *.h5 shard files in directory") }
        } else {
            files = [path]
        }
        let opened = try files.map { try DatasetShard(path: $0, validateContents: validateContents, chunkCacheBytes: chunkCacheBytes) }
        let first = opened[0]
        for s in opened.dropFirst() {
            if s.targets != first.targets {
                let diff = Set(s.targets.map { DatasetFormat.path(of: $0) + " \($0.kind.rawValue) \($0.units)" })
                    .symmetricDifference(first.targets.map { DatasetFormat.path(of: $0) + " \($0.kind.rawValue) \($0.units)" })
                throw DataError(file: s.path, field: "targets",
                                "targets differ from \(first.path): \(diff.sorted().joined(separator: ", "))")
            }
            if s.statistics != first.statistics {
                throw DataError(file: s.path, field: DatasetFormat.statisticsGroup, "statistics differ from \(first.path)")
            }
        }
        shards = opened
        var st = [0]
        for s in opened { st.append(st[st.count - 1] + s.count) }
        starts = st
        count = st[st.count - 1]
        atomCount = opened.reduce(0) { $0 + $1.atomCount }
        targets = first.targets
        statistics = first.statistics
    }

    /// Closes every shard file now (later reads throw).
    public func close() { for s in shards { s.close() } }

    /// The shard and local index of global structure `index` (0 ≤ index < count).
    public func location(of index: Int) throws -> (shard: Int, local: Int) {
        guard index >= 0, index < count else {
            throw DataError(file: path, field: "index", "structure \(index) out of bounds for \(count) structures")
        }
        // Last shard whose start ≤ index (skipping empty shards).
        var lo = 0, hi = shards.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= index { lo = mid } else { hi = mid - 1 }
        }
        return (lo, index - starts[lo])
    }

    /// Structures `range` (global indices), possibly spanning shards.
    public func read(_ range: Range<Int>) throws -> [Structure] {
        guard range.lowerBound >= 0, range.upperBound <= count else {
            throw DataError(file: path, field: "index", "structures \(range.lowerBound)..<\(range.upperBound) out of bounds for \(count) structures")
        }
        if range.isEmpty { return [] }
        var out: [Structure] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            let (k, local) = try location(of: i)
            let take = min(range.upperBound - i, shards[k].count - local)
            out += try shards[k].read(local..<(local + take))
            i += take
        }
        return out
    }
}
