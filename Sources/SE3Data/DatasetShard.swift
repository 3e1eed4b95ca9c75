import SE3HDF5

/// Reader of one dataset shard (format v1, see `DatasetFormat`).
///
/// Opening VALIDATES the file: format attributes, dataset presence, shapes and element
/// types, offsets (start at 0, never decrease, end at A), ids/cell/pbc shapes, targets'
/// `kind`/`units` attributes and shapes, `/statistics`; with `validateContents` (default)
/// it also streams through `/atomic_numbers` (1...118) and `/positions` (finite) in blocks,
/// so memory stays bounded. Violations throw `DataError` naming the file and dataset; HDF5
/// failures (truncated file, checksum mismatch) throw `HDF5Error`. Every dataset's shape is
/// checked against the file's size before it is read (`HDF5Dataset.checkClaimedSize`), so a
/// shape the file cannot hold is a `DataError`, not an allocation. Only `/offsets` is kept
/// in memory; `read(range)` reads just the rows of that range (hyperslabs).
public final class DatasetShard: StructureSource {
    public var sourceName: String { path }
    public let path: String
    /// Number of structures G.
    public let count: Int
    /// Number of atoms A.
    public let atomCount: Int
    public let targets: [TargetInfo]
    /// `offsets[g] ..< offsets[g+1]` are the atoms of structure g (G+1 entries).
    public let offsets: [Int]
    public let hasIDs: Bool
    public let hasCell: Bool
    /// Contents of `/statistics`, if present.
    public let statistics: DatasetStatistics?

    private let file: HDF5File
    private let zData: HDF5Dataset
    private let positionData: HDF5Dataset
    private let idData: HDF5Dataset?
    private let cellData: HDF5Dataset?
    private let pbcData: HDF5Dataset?
    private let targetData: [(TargetInfo, HDF5Dataset)]

    /// Rows per block when streaming through atom data during validation.
    static let validationBlock = 1 << 16

    /// `chunkCacheBytes`: per-dataset cache of decompressed chunks (default 1 MiB, HDF5's);
    /// raise it for random access to large shards.
    public convenience init(path: String, validateContents: Bool = true, chunkCacheBytes: Int? = nil) throws {
        try self.init(path: path, validateContents: validateContents, loadStatistics: true, chunkCacheBytes: chunkCacheBytes)
    }

    /// `loadStatistics: false` skips `/statistics` (used to replace damaged statistics).
    init(path: String, validateContents: Bool, loadStatistics: Bool, chunkCacheBytes: Int? = nil) throws {
        self.path = path
        let f = try HDF5File(path: path, mode: .readOnly, chunkCacheBytes: chunkCacheBytes)
        file = f
        func fail(_ field: String, _ message: String) -> DataError { DataError(file: path, field: field, message) }

        // Root attributes.
        let fmtField = "/ (attribute \(DatasetFormat.formatAttribute))"
        guard try f.hasAttribute(DatasetFormat.formatAttribute) else {
            throw fail(fmtField, "missing; not an se3 dataset (expected format = \"\(DatasetFormat.name)\")")
        }
        guard try f.attributeTypeClass(DatasetFormat.formatAttribute) == .string,
              try f.stringAttribute(DatasetFormat.formatAttribute) == DatasetFormat.name else {
            throw fail(fmtField, "expected \"\(DatasetFormat.name)\"")
        }
        let verField = "/ (attribute \(DatasetFormat.versionAttribute))"
        guard try f.hasAttribute(DatasetFormat.versionAttribute) else { throw fail(verField, "missing") }
        guard try f.attributeTypeClass(DatasetFormat.versionAttribute).isInteger else { throw fail(verField, "expected an integer") }
        let version = try f.integerAttribute(DatasetFormat.versionAttribute)
        guard version == DatasetFormat.version else {
            throw fail(verField, "unsupported format_version \(version); this reader supports \(DatasetFormat.version)")
        }
        let unitField = "/ (attribute \(DatasetFormat.lengthUnitAttribute))"
        guard try f.hasAttribute(DatasetFormat.lengthUnitAttribute) else { throw fail(unitField, "missing") }
        guard try f.attributeTypeClass(DatasetFormat.lengthUnitAttribute) == .string else { throw fail(unitField, "expected a string") }
        let unit = try f.stringAttribute(DatasetFormat.lengthUnitAttribute)
        guard unit == DatasetFormat.lengthUnit else {
            throw fail(unitField, "unsupported length unit \"\(unit)\"; expected \"\(DatasetFormat.lengthUnit)\"")
        }

        func dataset(_ p: String, integer: Bool) throws -> HDF5Dataset {
            guard f.exists(p) else { throw fail(p, "missing dataset") }
            guard try f.kind(of: p) == .dataset else { throw fail(p, "expected a dataset") }
            let ds = try f.openDataset(p)
            let tc = try ds.typeClass
            if integer {
                guard tc.isInteger else { throw fail(p, "expected integers, found \(tc)") }
            } else {
                guard tc.isFloat else { throw fail(p, "expected float32 or float64, found \(tc)") }
            }
            // A shape is only a claim: reject one the file cannot hold before anything is read.
            do { try ds.checkClaimedSize() } catch let e as HDF5Error { throw fail(p, e.message) }
            return ds
        }

        // Atoms.
        zData = try dataset(DatasetFormat.atomicNumbersPath, integer: true)
        let zShape = try zData.shape
        guard zShape.count == 1 else { throw fail(DatasetFormat.atomicNumbersPath, "expected shape [A], found \(zShape)") }
        let a = zShape[0]
        atomCount = a
        positionData = try dataset(DatasetFormat.positionsPath, integer: false)
        let pShape = try positionData.shape
        guard pShape == [a, 3] else {
            throw fail(DatasetFormat.positionsPath, "expected shape [\(a), 3] (A = \(a) from /atomic_numbers), found \(pShape)")
        }

        // Offsets.
        let offData = try dataset(DatasetFormat.offsetsPath, integer: true)
        let oShape = try offData.shape
        guard oShape.count == 1, oShape[0] >= 1 else {
            throw fail(DatasetFormat.offsetsPath, "expected shape [G+1] with G ≥ 0, found \(oShape)")
        }
        let raw = try offData.read(as: Int64.self)
        guard raw[0] == 0 else { throw fail(DatasetFormat.offsetsPath, "offsets must start at 0, found \(raw[0])") }
        for i in 1..<raw.count where raw[i] < raw[i - 1] {
            throw fail(DatasetFormat.offsetsPath, "offsets decrease at index \(i) (\(raw[i - 1]) then \(raw[i]))")
        }
        guard raw[raw.count - 1] == Int64(a) else {
            throw fail(DatasetFormat.offsetsPath, "offsets must end at the atom count \(a), found \(raw[raw.count - 1])")
        }
        offsets = raw.map { Int($0) }
        let g = raw.count - 1
        count = g
        try offData.close()

        // Optional per-structure data.
        if f.exists(DatasetFormat.idsPath) {
            let ds = try dataset(DatasetFormat.idsPath, integer: true)
            guard try ds.shape == [g] else { throw fail(DatasetFormat.idsPath, "expected shape [\(g)] (G), found \(try ds.shape)") }
            idData = ds
        } else { idData = nil }
        let hasCellData = f.exists(DatasetFormat.cellPath), hasPBC = f.exists(DatasetFormat.pbcPath)
        guard hasCellData == hasPBC else {
            throw fail(hasCellData ? DatasetFormat.pbcPath : DatasetFormat.cellPath,
                       "missing dataset (/cell and /pbc must be present together)")
        }
        if hasCellData {
            let c = try dataset(DatasetFormat.cellPath, integer: false)
            guard try c.shape == [g, 3, 3] else { throw fail(DatasetFormat.cellPath, "expected shape [\(g), 3, 3], found \(try c.shape)") }
            let p = try dataset(DatasetFormat.pbcPath, integer: true)
            guard try p.shape == [g, 3] else { throw fail(DatasetFormat.pbcPath, "expected shape [\(g), 3], found \(try p.shape)") }
            cellData = c
            pbcData = p
        } else {
            cellData = nil
            pbcData = nil
        }
        hasIDs = idData != nil
        hasCell = cellData != nil

        // Targets.
        var infos: [TargetInfo] = []
        var datas: [(TargetInfo, HDF5Dataset)] = []
        for (groupPath, level, rows) in [(DatasetFormat.graphGroup, TargetLevel.graph, g), (DatasetFormat.atomGroup, TargetLevel.atom, a)] {
            guard f.exists(groupPath) else { continue }
            guard try f.kind(of: groupPath) == .group else { throw fail(groupPath, "expected a group") }
            let group = try f.openGroup(groupPath)
            for name in try group.memberNames() {
                let p = groupPath + "/" + name
                guard infos.allSatisfy({ $0.name != name }) else {
                    throw fail(p, "target name \(name) is used at both graph and atom level")
                }
                let ds = try dataset(p, integer: false)
                let kindField = "\(p) (attribute \(DatasetFormat.kindAttribute))"
                guard try ds.hasAttribute(DatasetFormat.kindAttribute),
                      try ds.attributeTypeClass(DatasetFormat.kindAttribute) == .string else {
                    throw fail(kindField, "missing string attribute (scalar | vector | rank2)")
                }
                let kindText = try ds.stringAttribute(DatasetFormat.kindAttribute)
                guard let kind = TargetKind(rawValue: kindText) else {
                    throw fail(kindField, "unknown kind \"\(kindText)\" (expected scalar | vector | rank2)")
                }
                let unitsField = "\(p) (attribute \(DatasetFormat.unitsAttribute))"
                guard try ds.hasAttribute(DatasetFormat.unitsAttribute),
                      try ds.attributeTypeClass(DatasetFormat.unitsAttribute) == .string else {
                    throw fail(unitsField, "missing string attribute")
                }
                let units = try ds.stringAttribute(DatasetFormat.unitsAttribute)
                let shape = try ds.shape
                let expected = [rows] + DatasetFormat.trailingShape(kind)
                guard shape.first == rows else {
                    throw fail(p, "first dimension \(shape.first.map(String.init) ?? "none") does not match \(level == .graph ? "G" : "A") = \(rows)")
                }
                guard shape == expected else {
                    throw fail(p, "shape \(shape) does not match kind \(kind.rawValue) (expected \(expected))")
                }
                let info = TargetInfo(name: name, level: level, kind: kind, units: units)
                infos.append(info)
                datas.append((info, ds))
            }
        }
        targets = infos
        targetData = datas
        statistics = loadStatistics ? try DatasetStatistics.read(from: f, targets: infos) : nil

        if validateContents { try validateAtoms() }
    }

    /// Streams through atomic numbers and positions in blocks, checking Z ∈ 1...118 and finiteness.
    private func validateAtoms() throws {
        var start = 0
        while start < atomCount {
            let end = min(atomCount, start + Self.validationBlock)
            try checkAtoms(start..<end, z: try zData.readRows(start..<end, as: Int32.self),
                           positions: try positionData.readRows(start..<end, as: Double.self))
            start = end
        }
    }

    private func checkAtoms(_ atoms: Range<Int>, z: [Int32], positions: [Double]) throws {
        for (i, v) in z.enumerated() where v < 1 || v > DatasetFormat.maxAtomicNumber {
            throw DataError(file: path, field: DatasetFormat.atomicNumbersPath,
                            "atomic number \(v) at atom \(atoms.lowerBound + i) outside 1...118")
        }
        for (i, v) in positions.enumerated() where !v.isFinite {
            throw DataError(file: path, field: DatasetFormat.positionsPath,
                            "non-finite coordinate \(v) at atom \(atoms.lowerBound + i / 3)")
        }
    }

    /// Closes the file now (later reads throw).
    public func close() { try? file.close() }

    /// Atom range of structure `index`.
    public func atomRange(of index: Int) -> Range<Int> { offsets[index]..<offsets[index + 1] }

    /// Atomic numbers of atoms `atoms` (a hyperslab of `/atomic_numbers`).
    public func readAtomicNumbers(_ atoms: Range<Int>) throws -> [Int32] {
        guard atoms.lowerBound >= 0, atoms.upperBound <= atomCount else {
            throw DataError(file: path, field: DatasetFormat.atomicNumbersPath, "atoms \(atoms) out of bounds for \(atomCount) atoms")
        }
        return try zData.readRows(atoms, as: Int32.self)
    }

    /// Structures `range` (local indices), reading only their rows.
    public func read(_ range: Range<Int>) throws -> [Structure] {
        guard range.lowerBound >= 0, range.upperBound <= count else {
            throw DataError(file: path, field: DatasetFormat.offsetsPath,
                            "structures \(range.lowerBound)..<\(range.upperBound) out of bounds for \(count) structures")
        }
        if range.isEmpty { return [] }
        let a0 = offsets[range.lowerBound], a1 = offsets[range.upperBound]
        let z = try zData.readRows(a0..<a1, as: Int32.self)
        let pos = try positionData.readRows(a0..<a1, as: Double.self)
        try checkAtoms(a0..<a1, z: z, positions: pos)
        let ids = try idData?.readRows(range, as: Int64.self)
        let cells = try cellData?.readRows(range, as: Double.self)
        let pbcs = try pbcData?.readRows(range, as: UInt8.self)
        var values: [(TargetInfo, [Double])] = []
        values.reserveCapacity(targetData.count)
        for (t, ds) in targetData {
            values.append((t, try ds.readRows(t.level == .graph ? range : a0..<a1, as: Double.self)))
        }
        var out: [Structure] = []
        out.reserveCapacity(range.count)
        for (k, gi) in range.enumerated() {
            let lo = offsets[gi] - a0, hi = offsets[gi + 1] - a0
            var p: [SIMD3<Double>] = []
            p.reserveCapacity(hi - lo)
            for i in lo..<hi { p.append(SIMD3(pos[3 * i], pos[3 * i + 1], pos[3 * i + 2])) }
            var s = Structure(atomicNumbers: Array(z[lo..<hi]), positions: p)
            if let ids = ids { s.id = ids[k] }
            if let c = cells {
                let b = 9 * k
                s.cell = [SIMD3(c[b], c[b + 1], c[b + 2]), SIMD3(c[b + 3], c[b + 4], c[b + 5]), SIMD3(c[b + 6], c[b + 7], c[b + 8])]
            }
            if let pb = pbcs { s.pbc = SIMD3(pb[3 * k], pb[3 * k + 1], pb[3 * k + 2]) }
            for (t, v) in values {
                let w = t.kind.components
                if t.level == .graph {
                    s.graphTargets[t.name] = Array(v[(k * w)..<((k + 1) * w)])
                } else {
                    s.atomTargets[t.name] = Array(v[(lo * w)..<(hi * w)])
                }
            }
            out.append(s)
        }
        return out
    }
}
