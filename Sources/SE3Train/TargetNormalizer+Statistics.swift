import SE3Core
import SE3Data

extension TargetNormalizer {
    /// Builds the normaliser for the configured `targets` (with their dataset descriptions
    /// `infos`, same order) from the training set's `/statistics` where it has a matching entry
    /// (an extensive target needs element references, an intensive one must not have them), and
    /// computes the rest with `DatasetStatistics.compute` over `source` (the whole training set).
    public static func make(targets: [TargetConfig], infos: [TargetInfo], statistics: DatasetStatistics?,
                            source: StructureSource, sourceName: String) throws -> TargetNormalizer {
        require(targets.count == infos.count, "TargetNormalizer.make: \(infos.count) TargetInfos for \(targets.count) targets (one per configured target)")
        var entries: [String: DatasetStatistics.Entry] = [:]
        var missing: [String] = []
        var missingExtensive = Set<String>()
        for t in targets {
            if let e = statistics?[t.name], e.isExtensive == t.extensive {
                entries[t.name] = e
            } else {
                missing.append(t.name)
                if t.extensive { missingExtensive.insert(t.name) }
            }
        }
        if !missing.isEmpty {
            let computed = try DatasetStatistics.compute(source: source, targets: missing, extensive: missingExtensive,
                                                         sourceName: sourceName)
            for name in missing {
                if let e = computed[name], !(e.mean.isFinite && e.std.isFinite) || !(e.elementReferences ?? []).allSatisfy(\.isFinite) {
                    let level = infos.first { $0.name == name }?.level.rawValue ?? "graph"
                    throw DataError(file: sourceName, field: "/\(level)/\(name)",
                                    "the statistics of \(name) are not finite (mean \(e.mean), std \(e.std)): the target has non-finite values")
                }
                entries[name] = computed[name]
            }
        }
        return TargetNormalizer(targets: zip(targets, infos).map { t, info in
            let e = entries[t.name]
            var target = Target(name: t.name, level: info.level, kind: info.kind, units: info.units, extensive: t.extensive,
                                mean: e?.mean ?? 0, std: e?.std ?? 1, elementReferences: t.extensive ? e?.elementReferences : nil)
            target.conservative = t.forces == .conservative
            return target
        })
    }
}
