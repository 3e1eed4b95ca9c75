import CHDF5

/// What a link in a group points to.
public enum HDF5ObjectKind: Equatable, Sendable {
    case group, dataset, other
}

/// An open HDF5 group (the file itself acts as its root group, see `HDF5File`).
public class HDF5Group: HDF5Object {
    /// Creates a child group `name` (intermediate groups are not created).
    public func createGroup(_ name: String) throws -> HDF5Group {
        let h = try handle()
        let p = childPath(name)
        let id = try HDF5Library.sync { () -> hid_t in
            let gcpl = try HDF5Library.check(H5Pcreate(se3_h5p_group_create()), file: filePath, object: p, "create property list")
            defer { H5Pclose(gcpl) }
            try HDF5Library.check(H5Pset_obj_track_times(gcpl, false), file: filePath, object: p, "disable time tracking")
            return try HDF5Library.check(H5Gcreate2(h, name, se3_h5p_default(), gcpl, se3_h5p_default()),
                                         file: filePath, object: p, "create group")
        }
        return HDF5Group(handle: id, kind: .group, filePath: filePath, path: p, owner: self)
    }

    /// Opens the existing child group `name` (may be a path like `a/b`).
    public func openGroup(_ name: String) throws -> HDF5Group {
        let h = try handle()
        let p = childPath(name)
        guard exists(name) else { throw error("group is missing", object: p) }
        let id = try HDF5Library.sync {
            try HDF5Library.check(H5Gopen2(h, name, se3_h5p_default()), file: filePath, object: p, "open group")
        }
        return HDF5Group(handle: id, kind: .group, filePath: filePath, path: p, owner: self)
    }

    /// Opens child group `name`, creating it if absent.
    public func openOrCreateGroup(_ name: String) throws -> HDF5Group {
        exists(name) ? try openGroup(name) : try createGroup(name)
    }

    /// Whether the link `name` (a relative path such as `graph/U0`) resolves to an object.
    /// Each path component is checked in turn, so a missing parent gives `false`, never an error.
    public func exists(_ name: String) -> Bool {
        guard let h = try? handle() else { return false }
        let parts = name.split(separator: "/", omittingEmptySubsequences: true)
        if parts.isEmpty { return true }
        return HDF5Library.sync {
            var prefix = name.hasPrefix("/") ? "/" : ""
            for part in parts {
                prefix += (prefix.isEmpty || prefix == "/" ? "" : "/") + part
                let r = H5Lexists(h, prefix, se3_h5p_default())
                if r <= 0 { se3_h5_clear_errors(); return false }
                let o = H5Oopen(h, prefix, se3_h5p_default())
                if o < 0 { se3_h5_clear_errors(); return false }
                H5Oclose(o)
            }
            return true
        }
    }

    /// What `name` is (group, dataset, other); throws if it does not exist.
    public func kind(of name: String) throws -> HDF5ObjectKind {
        let h = try handle()
        let p = childPath(name)
        guard exists(name) else { throw error("object is missing", object: p) }
        return try HDF5Library.sync {
            let o = try HDF5Library.check(H5Oopen(h, name, se3_h5p_default()), file: filePath, object: p, "open object")
            defer { H5Oclose(o) }
            switch H5Iget_type(o) {
            case H5I_GROUP: return .group
            case H5I_DATASET: return .dataset
            default: return .other
            }
        }
    }

    /// Names of the links in this group, sorted by name.
    public func memberNames() throws -> [String] {
        let h = try handle()
        return try HDF5Library.sync {
            var info = H5G_info_t()
            try HDF5Library.check(H5Gget_info(h, &info), file: filePath, object: path, "list group")
            var names: [String] = []
            names.reserveCapacity(Int(info.nlinks))
            for i in 0..<info.nlinks {
                let size = try HDF5Library.check(H5Lget_name_by_idx(h, ".", H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, se3_h5p_default()),
                                                 file: filePath, object: path, "list group")
                guard size <= (try fileSizeBytes()) else { throw error("link name of \(size) bytes claimed, more than the file holds") }
                var buffer = [CChar](repeating: 0, count: Int(size) + 1)
                try HDF5Library.check(H5Lget_name_by_idx(h, ".", H5_INDEX_NAME, H5_ITER_INC, i, &buffer, buffer.count, se3_h5p_default()),
                                      file: filePath, object: path, "list group")
                names.append(String(cString: buffer))
            }
            return names.sorted()
        }
    }

    /// Removes the link `name` (its storage is released when the file is repacked).
    public func deleteMember(_ name: String) throws {
        let h = try handle()
        let p = childPath(name)
        try HDF5Library.sync {
            try HDF5Library.check(H5Ldelete(h, name, se3_h5p_default()), file: filePath, object: p, "delete")
        }
    }

    /// Opens the existing dataset `name`.
    public func openDataset(_ name: String) throws -> HDF5Dataset {
        let h = try handle()
        let p = childPath(name)
        guard exists(name) else { throw error("dataset is missing", object: p) }
        let id = try HDF5Library.sync {
            try HDF5Library.check(H5Dopen2(h, name, se3_h5p_default()), file: filePath, object: p, "open dataset")
        }
        return HDF5Dataset(handle: id, kind: .dataset, filePath: filePath, path: p, owner: self)
    }

    /// Creates a chunked dataset of `type` with the given shape (rank ≥ 1, trailing
    /// dimensions ≥ 1), extendible along the first dimension; see `HDF5DatasetOptions`.
    public func createDataset(_ name: String, type: HDF5ElementType, shape: [Int],
                              options: HDF5DatasetOptions = HDF5DatasetOptions()) throws -> HDF5Dataset {
        let h = try handle()
        let p = childPath(name)
        guard !shape.isEmpty else { throw error("dataset rank must be at least 1", object: p) }
        guard shape[0] >= 0, shape.dropFirst().allSatisfy({ $0 >= 1 }) else {
            throw error("invalid shape \(shape): first dimension must be ≥ 0 and the others ≥ 1", object: p)
        }
        guard options.chunkRows >= 1 else { throw error("chunkRows must be at least 1", object: p) }
        if let level = options.deflateLevel, !(0...9).contains(level) {
            throw error("deflate level must be in 0...9, got \(level)", object: p)
        }
        let id: hid_t = try HDF5Library.sync {
            let dims = shape.map { hsize_t($0) }
            var maxdims = dims
            maxdims[0] = se3_h5s_unlimited()
            let space = try HDF5Library.check(H5Screate_simple(Int32(dims.count), dims, maxdims), file: filePath, object: p, "create dataspace")
            defer { H5Sclose(space) }
            let dcpl = try HDF5Library.check(H5Pcreate(se3_h5p_dataset_create()), file: filePath, object: p, "create property list")
            defer { H5Pclose(dcpl) }
            // No modification times in object headers: identical input gives identical files.
            try HDF5Library.check(H5Pset_obj_track_times(dcpl, false), file: filePath, object: p, "disable time tracking")
            var chunk = dims
            chunk[0] = hsize_t(options.chunkRows)
            try HDF5Library.check(H5Pset_chunk(dcpl, Int32(chunk.count), chunk), file: filePath, object: p, "set chunking")
            if options.shuffle {
                try HDF5Library.check(H5Pset_shuffle(dcpl), file: filePath, object: p, "set shuffle filter")
            }
            if let level = options.deflateLevel {
                try HDF5Library.check(H5Pset_deflate(dcpl, UInt32(level)), file: filePath, object: p, "set deflate filter")
            }
            if options.checksum {
                // Last in the pipeline: the checksum covers the bytes as stored on disk.
                try HDF5Library.check(H5Pset_fletcher32(dcpl), file: filePath, object: p, "set Fletcher32 filter")
            }
            return try HDF5Library.check(H5Dcreate2(h, name, type.fileType, space, se3_h5p_default(), dcpl, se3_h5p_default()),
                                         file: filePath, object: p, "create dataset")
        }
        return HDF5Dataset(handle: id, kind: .dataset, filePath: filePath, path: p, owner: self)
    }

    /// Creates a dataset of `T` with `shape` and writes `values` (row-major, count = product of shape).
    @discardableResult
    public func writeDataset<T: HDF5Scalar>(_ name: String, _ values: [T], shape: [Int],
                                            options: HDF5DatasetOptions = HDF5DatasetOptions()) throws -> HDF5Dataset {
        let p = childPath(name)
        let count = shape.reduce(1, *)
        guard count == values.count else {
            throw error("\(values.count) values do not fill shape \(shape) (\(count) elements)", object: p)
        }
        var opts = options
        if shape.first ?? 0 > 0 { opts.chunkRows = min(opts.chunkRows, shape[0]) }
        let ds = try createDataset(name, type: T.hdf5Type, shape: shape, options: opts)
        try ds.write(values)
        return ds
    }
}
