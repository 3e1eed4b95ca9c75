import SE3Data

/// Checks that a dataset can feed a model: configured targets exist with a usable kind, and
/// every element present is known to the model. Errors name the shard file and the dataset.
public enum DatasetChecks {
    /// The dataset's description of each configured target, in config order.
    /// - Throws: `DataError` naming the first shard file and `/graph/<name>` (or `/atom/<name>`)
    ///   when a target is missing, or when `extensive: true` is set on anything but a graph scalar.
    public static func resolveTargets(_ targets: [TargetConfig], in dataset: Dataset) throws -> [TargetInfo] {
        let file = dataset.shards.first?.path ?? dataset.path
        return try targets.map { t in
            guard let info = dataset.targets.first(where: { $0.name == t.name }) else {
                let have = dataset.targets.map { DatasetFormat.path(of: $0) }.joined(separator: ", ")
                throw DataError(file: file, field: "/graph/\(t.name)",
                                "no target '\(t.name)' (neither /graph/\(t.name) nor /atom/\(t.name) exists; the dataset has: \(have.isEmpty ? "none" : have))")
            }
            if t.extensive && (info.level != .graph || info.kind != .scalar) {
                throw DataError(file: file, field: DatasetFormat.path(of: info),
                                "target '\(t.name)' is an \(info.level.rawValue)-level \(info.kind.rawValue); `extensive: true` needs a graph-level scalar")
            }
            if t.forces == .conservative && (info.level != .atom || info.kind != .vector) {
                throw DataError(file: file, field: DatasetFormat.path(of: info),
                                "target '\(t.name)' is a \(info.level.rawValue)-level \(info.kind.rawValue); `forces: conservative` needs atom-level vectors (forces)")
            }
            return info
        }
    }

    /// Checks that `other` (e.g. the validation set) describes the targets like `reference`.
    public static func checkSameTargets(_ infos: [TargetInfo], reference: [TargetInfo], in dataset: Dataset) throws {
        let file = dataset.shards.first?.path ?? dataset.path
        for (a, b) in zip(infos, reference) where a.level != b.level || a.kind != b.kind || a.units != b.units {
            throw DataError(file: file, field: DatasetFormat.path(of: a),
                            "target '\(a.name)' is \(a.level.rawValue)-level \(a.kind.rawValue) in '\(a.units)', but \(b.level.rawValue)-level \(b.kind.rawValue) in '\(b.units)' in the training set")
        }
    }

    /// Streams through every shard's `/atomic_numbers` and checks each Z is in `elements`.
    /// - Throws: `DataError` naming the shard file, `/atomic_numbers`, the element and the atom.
    public static func checkElements(_ dataset: Dataset, elements: [Int], block: Int = 1 << 16) throws {
        var allowed = [Bool](repeating: false, count: 128)
        for z in elements where z >= 0 && z < allowed.count { allowed[z] = true }
        for shard in dataset.shards {
            var a = 0
            while a < shard.atomCount {
                let b = min(shard.atomCount, a + block)
                let z = try shard.readAtomicNumbers(a..<b)
                for (i, zi) in z.enumerated() where zi < 0 || Int(zi) >= allowed.count || !allowed[Int(zi)] {
                    throw DataError(file: shard.path, field: DatasetFormat.atomicNumbersPath,
                                    "element \(DatasetElements.symbol(zi)) (Z = \(zi)) at atom \(a + i) is not in model.elements \(elements)")
                }
                a = b
            }
        }
    }
}
