/// Builds a `DatasetReport` for a shard file or a shard directory: validates it on open,
/// counts elements by streaming `/atomic_numbers`, and takes target mean/std from
/// `/statistics` when present (else computes plain statistics over the dataset).
public enum DatasetInspector {
    public static func inspect(path: String, validateContents: Bool = true, batchSize: Int = 4096) throws -> DatasetReport {
        let dataset = try Dataset(path: path, validateContents: validateContents)
        defer { dataset.close() }
        var counts = [Int](repeating: 0, count: Int(DatasetFormat.maxAtomicNumber) + 1)
        var minAtoms = Int.max, maxAtoms = 0
        let block = 1 << 16
        for shard in dataset.shards {
            var a = 0
            while a < shard.atomCount {
                let end = min(shard.atomCount, a + block)
                for z in try shard.readAtomicNumbers(a..<end) where z >= 1 && z <= DatasetFormat.maxAtomicNumber {
                    counts[Int(z)] += 1
                }
                a = end
            }
            for g in 0..<shard.count {
                let n = shard.offsets[g + 1] - shard.offsets[g]
                minAtoms = min(minAtoms, n)
                maxAtoms = max(maxAtoms, n)
            }
        }
        if dataset.count == 0 { minAtoms = 0 }
        let elements = counts.enumerated().filter { $0.element > 0 }.map {
            DatasetReport.Element(atomicNumber: Int32($0.offset), symbol: DatasetElements.symbol(Int32($0.offset)), count: $0.element)
        }
        let stats: DatasetStatistics
        let source: String
        let missing = dataset.targets.filter { dataset.statistics?[$0.name] == nil }.map(\.name)
        if let s = dataset.statistics, missing.isEmpty {
            stats = s
            source = "statistics"
        } else {
            stats = try DatasetStatistics.compute(source: dataset, targets: dataset.targets.map(\.name),
                                                  batchSize: batchSize, sourceName: path)
            source = "computed"
        }
        let targets = dataset.targets.map { t -> DatasetReport.Target in
            let e = stats[t.name]
            return DatasetReport.Target(info: t, mean: e?.mean ?? .nan, std: e?.std ?? .nan,
                                        normalization: e?.normalization ?? (t.level == .graph ? .perGraph : .perAtom),
                                        extensive: e?.isExtensive ?? false, source: source)
        }
        return DatasetReport(path: path, structures: dataset.count, atoms: dataset.atomCount,
                             minAtoms: minAtoms, maxAtoms: maxAtoms,
                             hasIDs: dataset.shards.allSatisfy(\.hasIDs), hasCell: dataset.shards.contains(where: \.hasCell),
                             elements: elements, targets: targets,
                             shards: dataset.shards.map { DatasetReport.Shard(path: $0.path, structures: $0.count, atoms: $0.atomCount) })
    }
}
