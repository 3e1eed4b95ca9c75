import SE3HDF5

/// Streams structures into one dataset shard (format v1, see `DatasetFormat`).
///
/// Every dataset is created extendible and written one chunk at a time, so memory use
/// is bounded by one chunk per dataset however many structures are appended. Optional
/// `/ids`, `/cell` and `/pbc` are written when the FIRST structure has them; every later
/// structure must then have them too (and vice versa). Call `close()` to finish the
/// file: until then `/offsets` is incomplete and readers reject the file.
public final class DatasetWriter {
    public let path: String
    public let targets: [TargetInfo]
    /// Statistics written into `/statistics` on `close()`, if set.
    public var statistics: DatasetStatistics?
    /// Structures appended so far.
    public private(set) var count = 0
    /// Atoms appended so far.
    public private(set) var atomCount = 0

    private var file: HDF5File?
    private let options: HDF5DatasetOptions
    private let atomOptions: HDF5DatasetOptions
    private let z: DatasetColumn<Int32>
    private let positions: DatasetColumn<Double>
    private let offsets: DatasetColumn<Int64>
    private var ids: DatasetColumn<Int64>?
    private var cell: DatasetColumn<Double>?
    private var pbc: DatasetColumn<UInt8>?
    private var hasIDs = false
    private var hasCell = false
    private let graphColumns: [(TargetInfo, DatasetColumn<Double>)]
    private let atomColumns: [(TargetInfo, DatasetColumn<Double>)]

    /// Creates (truncates) `path`. `chunkRows` is the chunk length of graph-level datasets,
    /// `atomChunkRows` (default `4 * chunkRows`) that of atom-level ones; `deflateLevel`
    /// nil disables compression. Target names must be unique and valid.
    public init(path: String, targets: [TargetInfo], chunkRows: Int = 1024, atomChunkRows: Int? = nil,
                deflateLevel: Int? = 4) throws {
        guard chunkRows >= 1, (atomChunkRows ?? 1) >= 1 else {
            throw DataError(file: path, field: "chunkRows", "chunk sizes must be at least 1")
        }
        var seen = Set<String>()
        for t in targets {
            guard DatasetFormat.isValidTargetName(t.name) else {
                throw DataError(file: path, field: DatasetFormat.path(of: t), "invalid target name \"\(t.name)\"")
            }
            guard seen.insert(t.name).inserted else {
                throw DataError(file: path, field: DatasetFormat.path(of: t), "duplicate target name \(t.name)")
            }
        }
        self.path = path
        self.targets = targets
        options = HDF5DatasetOptions(chunkRows: chunkRows, deflateLevel: deflateLevel)
        atomOptions = HDF5DatasetOptions(chunkRows: atomChunkRows ?? 4 * chunkRows, deflateLevel: deflateLevel)
        let f = try HDF5File(path: path, mode: .truncate)
        file = f
        try f.setAttribute(DatasetFormat.formatAttribute, DatasetFormat.name)
        try f.setAttribute(DatasetFormat.versionAttribute, DatasetFormat.version)
        try f.setAttribute(DatasetFormat.lengthUnitAttribute, DatasetFormat.lengthUnit)
        let ao = atomOptions, go = options
        z = DatasetColumn(try f.createDataset(DatasetFormat.atomicNumbersPath, type: .int32, shape: [0], options: ao),
                          rowWidth: 1, chunkRows: ao.chunkRows)
        positions = DatasetColumn(try f.createDataset(DatasetFormat.positionsPath, type: .float64, shape: [0, 3], options: ao),
                                  rowWidth: 3, chunkRows: ao.chunkRows)
        offsets = DatasetColumn(try f.createDataset(DatasetFormat.offsetsPath, type: .int64, shape: [0], options: go),
                                rowWidth: 1, chunkRows: go.chunkRows)
        offsets.append(0)
        let graphGroup = try f.createGroup(DatasetFormat.graphGroup)
        let atomGroup = try f.createGroup(DatasetFormat.atomGroup)
        var g: [(TargetInfo, DatasetColumn<Double>)] = []
        var a: [(TargetInfo, DatasetColumn<Double>)] = []
        for t in targets {
            let group = t.level == .graph ? graphGroup : atomGroup
            let o = t.level == .graph ? go : ao
            let ds = try group.createDataset(t.name, type: .float64, shape: [0] + DatasetFormat.trailingShape(t.kind), options: o)
            try ds.setAttribute(DatasetFormat.unitsAttribute, t.units)
            try ds.setAttribute(DatasetFormat.kindAttribute, t.kind.rawValue)
            let column = DatasetColumn<Double>(ds, rowWidth: t.kind.components, chunkRows: o.chunkRows)
            if t.level == .graph { g.append((t, column)) } else { a.append((t, column)) }
        }
        graphColumns = g
        atomColumns = a
    }

    /// Checks `s` against the format and the declared targets without writing anything.
    private func validate(_ s: Structure) throws {
        let index = count
        let n = s.atomicNumbers.count
        guard s.positions.count == n else {
            throw DataError(file: path, field: DatasetFormat.positionsPath,
                            "structure \(index) has \(s.positions.count) positions for \(n) atoms")
        }
        for (i, zi) in s.atomicNumbers.enumerated() where zi < 1 || zi > DatasetFormat.maxAtomicNumber {
            throw DataError(file: path, field: DatasetFormat.atomicNumbersPath,
                            "structure \(index) atom \(i): atomic number \(zi) outside 1...118")
        }
        for (i, p) in s.positions.enumerated() where !(p.x.isFinite && p.y.isFinite && p.z.isFinite) {
            throw DataError(file: path, field: DatasetFormat.positionsPath, "structure \(index) atom \(i): non-finite position \(p)")
        }
        if index > 0 {
            if (s.id != nil) != hasIDs {
                throw DataError(file: path, field: DatasetFormat.idsPath,
                                "structure \(index) \(hasIDs ? "lacks" : "has") an id unlike structure 0")
            }
            if (s.cell != nil || s.pbc != nil) != hasCell {
                throw DataError(file: path, field: DatasetFormat.cellPath,
                                "structure \(index) \(hasCell ? "lacks" : "has") a cell unlike structure 0")
            }
        }
        if let c = s.cell {
            guard c.count == 3 else {
                throw DataError(file: path, field: DatasetFormat.cellPath, "structure \(index): cell has \(c.count) rows, expected 3")
            }
            guard c.allSatisfy({ $0.x.isFinite && $0.y.isFinite && $0.z.isFinite }) else {
                throw DataError(file: path, field: DatasetFormat.cellPath, "structure \(index): non-finite cell")
            }
        }
        if let p = s.pbc, p.x > 1 || p.y > 1 || p.z > 1 {
            throw DataError(file: path, field: DatasetFormat.pbcPath, "structure \(index): pbc entries must be 0 or 1, got \(p)")
        }
        for t in targets {
            let values = t.level == .graph ? s.graphTargets[t.name] : s.atomTargets[t.name]
            let field = DatasetFormat.path(of: t)
            guard let v = values else {
                throw DataError(file: path, field: field, "structure \(index) has no value for target \(t.name)")
            }
            let expected = (t.level == .graph ? 1 : n) * t.kind.components
            guard v.count == expected else {
                throw DataError(file: path, field: field,
                                "structure \(index) has \(v.count) values for target \(t.name), expected \(expected)")
            }
        }
        let declaredGraph = Set(targets.filter { $0.level == .graph }.map(\.name))
        let declaredAtom = Set(targets.filter { $0.level == .atom }.map(\.name))
        if let extra = s.graphTargets.keys.first(where: { !declaredGraph.contains($0) }) {
            throw DataError(file: path, field: DatasetFormat.graphGroup + "/" + extra,
                            "structure \(index) has undeclared graph target \(extra)")
        }
        if let extra = s.atomTargets.keys.first(where: { !declaredAtom.contains($0) }) {
            throw DataError(file: path, field: DatasetFormat.atomGroup + "/" + extra,
                            "structure \(index) has undeclared atom target \(extra)")
        }
    }

    /// Validates and buffers one structure; full chunks are written to disk.
    public func append(_ s: Structure) throws {
        guard let f = file else { throw DataError(file: path, field: "/", "writer is closed") }
        try validate(s)
        if count == 0 {
            hasIDs = s.id != nil
            hasCell = s.cell != nil || s.pbc != nil
            if hasIDs {
                ids = DatasetColumn(try f.createDataset(DatasetFormat.idsPath, type: .int64, shape: [0], options: options),
                                    rowWidth: 1, chunkRows: options.chunkRows)
            }
            if hasCell {
                cell = DatasetColumn(try f.createDataset(DatasetFormat.cellPath, type: .float64, shape: [0, 3, 3], options: options),
                                     rowWidth: 9, chunkRows: options.chunkRows)
                pbc = DatasetColumn(try f.createDataset(DatasetFormat.pbcPath, type: .uint8, shape: [0, 3], options: options),
                                    rowWidth: 3, chunkRows: options.chunkRows)
            }
        }
        z.append(contentsOf: s.atomicNumbers)
        for p in s.positions { positions.append(p.x); positions.append(p.y); positions.append(p.z) }
        atomCount += s.atomCount
        offsets.append(Int64(atomCount))
        if let ids = ids { ids.append(s.id ?? 0) }
        if let cell = cell {
            let rows = s.cell ?? [SIMD3<Double>](repeating: .zero, count: 3)
            for r in rows { cell.append(r.x); cell.append(r.y); cell.append(r.z) }
        }
        if let pbc = pbc {
            let p = s.pbc ?? SIMD3<UInt8>(1, 1, 1)
            pbc.append(p.x); pbc.append(p.y); pbc.append(p.z)
        }
        for (t, column) in graphColumns { column.append(contentsOf: s.graphTargets[t.name] ?? []) }
        for (t, column) in atomColumns { column.append(contentsOf: s.atomTargets[t.name] ?? []) }
        count += 1
        try z.flushFullChunks()
        try positions.flushFullChunks()
        try offsets.flushFullChunks()
        try ids?.flushFullChunks()
        try cell?.flushFullChunks()
        try pbc?.flushFullChunks()
        for (_, column) in graphColumns { try column.flushFullChunks() }
        for (_, column) in atomColumns { try column.flushFullChunks() }
    }

    /// Appends each structure in order.
    public func append<S: Sequence>(contentsOf structures: S) throws where S.Element == Structure {
        for s in structures { try append(s) }
    }

    /// Writes the remaining buffers and the statistics, and closes the file. Closing twice is a no-op.
    public func close() throws {
        guard let f = file else { return }
        file = nil
        try z.finish()
        try positions.finish()
        try offsets.finish()
        try ids?.finish()
        try cell?.finish()
        try pbc?.finish()
        for (_, column) in graphColumns { try column.finish() }
        for (_, column) in atomColumns { try column.finish() }
        if let stats = statistics { try stats.write(to: f, targets: targets) }
        try f.close()
    }
}
