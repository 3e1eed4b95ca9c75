import Foundation
import SE3Data

/// `se3 bench train --zero-forces`: a copy of a dataset with an atom-level force target of zero
/// labels (eV/Å), so energy + force training can be timed on a dataset without forces (the QM9
/// bench workload), as the e3nn peer's `--forces` does. The labels only feed the loss; the work
/// per step is that of any force training.
public enum ZeroForceDataset {
    /// Writes `directory/shard-00000.h5` from `source` (read 512 structures at a time) with
    /// `/atom/<name>` all zero, and returns `directory`. Throws `DataError` when `source` already
    /// has a target `name`.
    public static func write(from source: String, target name: String, into directory: String) throws -> String {
        let data = try Dataset(path: source)
        defer { data.close() }
        guard !data.targets.contains(where: { $0.name == name }) else {
            throw DataError(file: source, field: "/atom/\(name)", "the dataset already has a target '\(name)': --zero-forces is not needed")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let targets = data.targets + [TargetInfo(name: name, level: .atom, kind: .vector, units: "eV/Å")]
        let writer = try DatasetWriter(path: (directory as NSString).appendingPathComponent(ShardedDatasetWriter.shardName(0)),
                                       targets: targets)
        var start = 0
        while start < data.count {
            var chunk = try data.read(start..<min(data.count, start + 512))
            for i in chunk.indices { chunk[i].atomTargets[name] = [Double](repeating: 0, count: 3 * chunk[i].atomCount) }
            try writer.append(contentsOf: chunk)
            start += chunk.count
        }
        try writer.close()
        return directory
    }
}
