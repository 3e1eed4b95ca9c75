import SE3HDF5

/// Storage of statistics in a shard:
/// `/statistics` (attribute `structure_count` int64) and, per target, a group
/// `/statistics/<name>` with float64 datasets `mean` [1] and `std` [1], optional
/// `element_refs` [119] (indexed by Z), and attributes `normalization`
/// (`per_graph` | `per_atom`) and `count` (int64).
extension DatasetStatistics {
    /// Writes (replacing any existing) `/statistics` into an open, writable shard.
    /// Every entry must name one of `targets`.
    public func write(to file: HDF5File, targets: [TargetInfo]) throws {
        let names = Set(targets.map(\.name))
        for name in entries.keys where !names.contains(name) {
            throw DataError(file: file.filePath, field: DatasetFormat.statisticsGroup + "/" + name,
                            "statistics for \(name), which is not a target of this dataset")
        }
        if file.exists(DatasetFormat.statisticsGroup) { try file.deleteMember(DatasetFormat.statisticsGroup) }
        let group = try file.createGroup(DatasetFormat.statisticsGroup)
        try group.setAttribute("structure_count", Int64(structureCount))
        let small = HDF5DatasetOptions(chunkRows: 1, deflateLevel: nil, shuffle: false, checksum: true)
        for name in entries.keys.sorted() {
            guard let e = entries[name] else { continue }
            let g = try group.createGroup(name)
            try g.writeDataset("mean", [e.mean], shape: [1], options: small)
            try g.writeDataset("std", [e.std], shape: [1], options: small)
            if let refs = e.elementReferences {
                guard refs.count == Self.elementSlots else {
                    throw DataError(file: file.filePath, field: g.path + "/element_refs",
                                    "\(refs.count) element references, expected \(Self.elementSlots)")
                }
                try g.writeDataset("element_refs", refs, shape: [Self.elementSlots],
                                   options: HDF5DatasetOptions(chunkRows: Self.elementSlots))
            }
            try g.setAttribute("normalization", e.normalization.rawValue)
            try g.setAttribute("count", Int64(e.count))
        }
    }

    /// Opens the shard at `path` read-write and replaces its `/statistics`.
    public func write(toShardAt path: String) throws {
        let shard = try DatasetShard(path: path, validateContents: false, loadStatistics: false)
        let targets = shard.targets
        shard.close()
        let file = try HDF5File(path: path, mode: .readWrite)
        try write(to: file, targets: targets)
        try file.close()
    }

    /// Reads and validates `/statistics` of an open shard; nil if the group is absent.
    public static func read(from file: HDF5File, targets: [TargetInfo]) throws -> DatasetStatistics? {
        guard file.exists(DatasetFormat.statisticsGroup) else { return nil }
        let path = file.filePath
        let group = try file.openGroup(DatasetFormat.statisticsGroup)
        let count = try group.hasAttribute("structure_count") ? Int(try group.integerAttribute("structure_count")) : 0
        var entries: [String: Entry] = [:]
        for name in try group.memberNames() {
            let field = DatasetFormat.statisticsGroup + "/" + name
            guard targets.contains(where: { $0.name == name }) else {
                throw DataError(file: path, field: field, "statistics for \(name), which is not a target of this dataset")
            }
            guard try group.kind(of: name) == .group else {
                throw DataError(file: path, field: field, "expected a group")
            }
            let g = try group.openGroup(name)
            func scalar(_ member: String) throws -> Double {
                guard g.exists(member) else { throw DataError(file: path, field: field + "/" + member, "missing") }
                let ds = try g.openDataset(member)
                guard try ds.shape == [1], try ds.typeClass.isNumeric else {
                    throw DataError(file: path, field: field + "/" + member, "expected one number, found shape \(try ds.shape)")
                }
                let v = try ds.read(as: Double.self)[0]
                guard v.isFinite else { throw DataError(file: path, field: field + "/" + member, "non-finite value \(v)") }
                return v
            }
            let mean = try scalar("mean")
            let std = try scalar("std")
            guard std >= 0 else { throw DataError(file: path, field: field + "/std", "negative std \(std)") }
            var refs: [Double]? = nil
            if g.exists("element_refs") {
                let ds = try g.openDataset("element_refs")
                guard try ds.shape == [elementSlots], try ds.typeClass.isNumeric else {
                    throw DataError(file: path, field: field + "/element_refs",
                                    "expected shape [\(elementSlots)], found \(try ds.shape)")
                }
                let r = try ds.read(as: Double.self)
                guard r.allSatisfy({ $0.isFinite }) else {
                    throw DataError(file: path, field: field + "/element_refs", "non-finite element reference")
                }
                refs = r
            }
            let normText = try g.hasAttribute("normalization") ? try g.stringAttribute("normalization") : ""
            guard let norm = Normalization(rawValue: normText) else {
                throw DataError(file: path, field: field + " (attribute normalization)",
                                "expected per_graph or per_atom, found \"\(normText)\"")
            }
            let n = try g.hasAttribute("count") ? Int(try g.integerAttribute("count")) : 0
            entries[name] = Entry(mean: mean, std: std, elementReferences: refs, normalization: norm, count: n)
        }
        return DatasetStatistics(entries: entries, structureCount: count)
    }
}
