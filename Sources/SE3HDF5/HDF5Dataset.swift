import CHDF5

/// An open HDF5 dataset: shape and type queries, whole reads, row (hyperslab) reads of
/// the first dimension, whole writes and row appends for extendible datasets.
/// Values are row-major; "row" `i` of a `[N, d1, d2]` dataset is `d1*d2` elements.
public final class HDF5Dataset: HDF5Object {
    /// Current extent, e.g. `[A, 3]`.
    public var shape: [Int] {
        get throws {
            let h = try handle()
            return try HDF5Library.sync {
                try currentDims(h).map { d in
                    guard let v = Int(exactly: d) else { throw error("dimension \(d) is too large") }
                    return v
                }
            }
        }
    }

    /// Class of the stored element type (integer/float with byte size, string, other).
    public var typeClass: HDF5TypeClass {
        get throws {
            let h = try handle()
            return try HDF5Library.sync {
                let t = try HDF5Library.check(H5Dget_type(h), file: filePath, object: path, "get type")
                defer { H5Tclose(t) }
                return HDF5TypeClass.of(t)
            }
        }
    }

    /// Number of rows (first dimension); 1 for a scalar dataset.
    public var rowCount: Int { get throws { try shape.first ?? 1 } }

    func currentDims(_ h: hid_t) throws -> [hsize_t] {
        let space = try HDF5Library.check(H5Dget_space(h), file: filePath, object: path, "get dataspace")
        defer { H5Sclose(space) }
        let rank = try HDF5Library.check(H5Sget_simple_extent_ndims(space), file: filePath, object: path, "get rank")
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        if rank > 0 {
            try HDF5Library.check(H5Sget_simple_extent_dims(space, &dims, nil), file: filePath, object: path, "get shape")
        }
        return dims
    }

    /// Reads the whole dataset, converting to `T` (e.g. float32 on disk → `Double`). The size is
    /// checked first (`HDF5Dataset+Limits.swift`): a shape the file cannot hold throws.
    public func read<T: HDF5Scalar>(as type: T.Type = T.self) throws -> [T] {
        let h = try handle()
        return try HDF5Library.sync {
            let dims = try currentDims(h)
            let count = try checkedCount(dims)
            try checkReadable(h, elements: count, what: "shape \(dims.map { Int($0) })")
            var out = [T](repeating: 0, count: count)
            if count == 0 { return out }
            try out.withUnsafeMutableBytes { raw in
                _ = try HDF5Library.check(H5Dread(h, T.hdf5Type.nativeType, se3_h5s_all(), se3_h5s_all(), se3_h5p_default(), raw.baseAddress),
                                      file: filePath, object: path, "read")
            }
            return out
        }
    }

    /// Reads rows `rows` of the first dimension only (a hyperslab); other rows are not
    /// read or decompressed beyond the chunks that contain the requested rows. The size is
    /// checked first, as for `read`.
    public func readRows<T: HDF5Scalar>(_ rows: Range<Int>, as type: T.Type = T.self) throws -> [T] {
        let h = try handle()
        return try HDF5Library.sync {
            let dims = try currentDims(h)
            guard !dims.isEmpty else { throw error("cannot read rows of a scalar dataset") }
            guard rows.lowerBound >= 0, hsize_t(rows.upperBound) <= dims[0] else {
                throw error("rows \(rows.lowerBound)..<\(rows.upperBound) out of bounds for \(dims[0]) rows")
            }
            let (count, overflow) = rows.count.multipliedReportingOverflow(by: try checkedCount(dims.dropFirst()))
            guard !overflow else { throw error("rows \(rows.lowerBound)..<\(rows.upperBound) of shape \(dims) are too many elements") }
            try checkReadable(h, elements: count, what: "rows \(rows.lowerBound)..<\(rows.upperBound) of shape \(dims)")
            var out = [T](repeating: 0, count: count)
            if out.isEmpty { return out }
            try out.withUnsafeMutableBytes { raw in
                try transferRows(h, dims: dims, rows: rows, memType: T.hdf5Type.nativeType, buffer: raw.baseAddress, write: false)
            }
            return out
        }
    }

    /// Selects `rows` in the file space and reads into (or writes from) `buffer`.
    private func transferRows(_ h: hid_t, dims: [hsize_t], rows: Range<Int>, memType: hid_t,
                              buffer: UnsafeRawPointer?, write: Bool) throws {
        let fspace = try HDF5Library.check(H5Dget_space(h), file: filePath, object: path, "get dataspace")
        defer { H5Sclose(fspace) }
        var start = [hsize_t](repeating: 0, count: dims.count)
        start[0] = hsize_t(rows.lowerBound)
        var count = dims
        count[0] = hsize_t(rows.count)
        try HDF5Library.check(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, nil, count, nil),
                              file: filePath, object: path, "select rows \(rows.lowerBound)..<\(rows.upperBound)")
        let mspace = try HDF5Library.check(H5Screate_simple(Int32(count.count), count, nil), file: filePath, object: path, "create dataspace")
        defer { H5Sclose(mspace) }
        if write {
            try HDF5Library.check(H5Dwrite(h, memType, mspace, fspace, se3_h5p_default(), buffer),
                                  file: filePath, object: path, "write rows \(rows.lowerBound)..<\(rows.upperBound)")
        } else {
            try HDF5Library.check(H5Dread(h, memType, mspace, fspace, se3_h5p_default(), UnsafeMutableRawPointer(mutating: buffer)),
                                  file: filePath, object: path, "read rows \(rows.lowerBound)..<\(rows.upperBound)")
        }
    }

    /// Writes the whole dataset; `values.count` must equal the product of the shape.
    public func write<T: HDF5Scalar>(_ values: [T]) throws {
        let h = try handle()
        try HDF5Library.sync {
            let dims = try currentDims(h)
            let count = try checkedCount(dims)
            guard count == values.count else {
                throw error("\(values.count) values do not fill shape \(dims) (\(count) elements)")
            }
            if count == 0 { return }
            try values.withUnsafeBytes { raw in
                _ = try HDF5Library.check(H5Dwrite(h, T.hdf5Type.nativeType, se3_h5s_all(), se3_h5s_all(), se3_h5p_default(), raw.baseAddress),
                                      file: filePath, object: path, "write")
            }
        }
    }

    /// Writes whole rows starting at `row` (they must lie inside the current extent).
    public func writeRows<T: HDF5Scalar>(_ values: [T], at row: Int) throws {
        let h = try handle()
        try HDF5Library.sync {
            let dims = try currentDims(h)
            guard !dims.isEmpty else { throw error("cannot write rows of a scalar dataset") }
            let width = try checkedCount(dims.dropFirst())
            guard width > 0, values.count % width == 0 else {
                throw error("\(values.count) values are not whole rows of width \(width)")
            }
            let n = values.count / width
            guard row >= 0, hsize_t(row + n) <= dims[0] else {
                throw error("rows \(row)..<\(row + n) out of bounds for \(dims[0]) rows")
            }
            if n == 0 { return }
            try values.withUnsafeBytes { raw in
                try transferRows(h, dims: dims, rows: row..<(row + n), memType: T.hdf5Type.nativeType, buffer: raw.baseAddress, write: true)
            }
        }
    }

    /// Extends the first dimension by `values.count / rowWidth` rows and writes them at the end.
    public func appendRows<T: HDF5Scalar>(_ values: [T]) throws {
        let h = try handle()
        try HDF5Library.sync {
            var dims = try currentDims(h)
            guard !dims.isEmpty else { throw error("cannot append to a scalar dataset") }
            let width = try checkedCount(dims.dropFirst())
            guard width > 0, values.count % width == 0 else {
                throw error("\(values.count) values are not whole rows of width \(width)")
            }
            let n = values.count / width
            if n == 0 { return }
            let old = try checkedCount([dims[0]])
            dims[0] += hsize_t(n)
            try HDF5Library.check(H5Dset_extent(h, dims), file: filePath, object: path, "extend to \(dims[0]) rows")
            try values.withUnsafeBytes { raw in
                try transferRows(h, dims: dims, rows: old..<(old + n), memType: T.hdf5Type.nativeType, buffer: raw.baseAddress, write: true)
            }
        }
    }

    /// Changes the first dimension to `rows` (extendible datasets only).
    public func resize(rows: Int) throws {
        let h = try handle()
        try HDF5Library.sync {
            var dims = try currentDims(h)
            guard !dims.isEmpty, rows >= 0 else { throw error("cannot resize to \(rows) rows") }
            dims[0] = hsize_t(rows)
            try HDF5Library.check(H5Dset_extent(h, dims), file: filePath, object: path, "resize to \(rows) rows")
        }
    }

    /// Byte ranges of the stored chunks in the file (address and stored size), for
    /// diagnostics and corruption tests.
    public func chunkLocations() throws -> [(offset: UInt64, size: UInt64)] {
        let h = try handle()
        return try HDF5Library.sync {
            let dims = try currentDims(h)
            let space = try HDF5Library.check(H5Dget_space(h), file: filePath, object: path, "get dataspace")
            defer { H5Sclose(space) }
            var n: hsize_t = 0
            try HDF5Library.check(H5Dget_num_chunks(h, space, &n), file: filePath, object: path, "count chunks")
            var out: [(offset: UInt64, size: UInt64)] = []
            for i in 0..<n {
                var coords = [hsize_t](repeating: 0, count: max(1, dims.count))
                var mask: UInt32 = 0
                var addr: haddr_t = 0
                var size: hsize_t = 0
                try HDF5Library.check(H5Dget_chunk_info(h, space, i, &coords, &mask, &addr, &size),
                                      file: filePath, object: path, "get chunk info")
                out.append((offset: UInt64(addr), size: UInt64(size)))
            }
            return out
        }
    }
}
