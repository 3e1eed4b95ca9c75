import CHDF5
import Foundation

/// An open HDF5 file. It is also its root group: `createGroup`, `openDataset`,
/// attributes etc. act on `/`. Closed in `deinit` (after every object opened from it is
/// released), or explicitly with `close()`, which also closes those objects (later use
/// of them throws an `HDF5Error`).
public final class HDF5File: HDF5Group {
    public enum Mode: Sendable {
        /// Open an existing file for reading.
        case readOnly
        /// Open an existing file for reading and writing.
        case readWrite
        /// Create the file, replacing any existing file.
        case truncate
        /// Create the file; fail if it exists.
        case createNew
    }

    public let mode: Mode

    /// Opens or creates `path`. A missing, non-HDF5 or truncated file throws an `HDF5Error`.
    /// `chunkCacheBytes` sets the per-dataset cache of decompressed chunks (HDF5's default is
    /// 1 MiB); a larger cache speeds up random row reads of datasets bigger than 1 MiB.
    public init(path: String, mode: Mode = .readOnly, chunkCacheBytes: Int? = nil) throws {
        self.mode = mode
        let id: hid_t = try HDF5Library.sync {
            // Strong close: `close()` closes every object opened from the file, so the file
            // is really closed (and can be reopened) even if datasets are still referenced.
            let fapl = try HDF5Library.check(H5Pcreate(se3_h5p_file_access()), file: path, object: "/", "create file access list")
            defer { H5Pclose(fapl) }
            try HDF5Library.check(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), file: path, object: "/", "set close degree")
            if let bytes = chunkCacheBytes {
                guard bytes >= 0 else { throw HDF5Error(file: path, object: "/", message: "chunk cache size must be ≥ 0") }
                // 12421 hash slots (a prime, as HDF5 recommends); preemption policy 0.75 (HDF5's default).
                try HDF5Library.check(H5Pset_cache(fapl, 0, 12421, bytes, 0.75), file: path, object: "/", "set chunk cache")
            }
            switch mode {
            case .readOnly, .readWrite:
                guard FileManager.default.fileExists(atPath: path) else {
                    throw HDF5Error(file: path, object: "/", message: "no such file")
                }
                let isHDF5 = H5Fis_hdf5(path)
                if isHDF5 < 0 {
                    throw HDF5Error(file: path, object: "/", message: "cannot read file: \(HDF5Library.takeErrorMessage())")
                }
                if isHDF5 == 0 {
                    throw HDF5Error(file: path, object: "/", message: "not an HDF5 file (no HDF5 signature)")
                }
                let flags = mode == .readOnly ? se3_h5f_acc_rdonly() : se3_h5f_acc_rdwr()
                return try HDF5Library.check(H5Fopen(path, flags, fapl), file: path, object: "/", "open file")
            case .truncate, .createNew:
                let flags = mode == .truncate ? se3_h5f_acc_trunc() : se3_h5f_acc_excl()
                return try HDF5Library.check(H5Fcreate(path, flags, se3_h5p_default(), fapl),
                                             file: path, object: "/", "create file")
            }
        }
        super.init(handle: id, kind: .file, filePath: path, path: "/", owner: nil)
    }

    /// Writes buffered data to disk.
    public func flush() throws {
        let h = try handle()
        try HDF5Library.sync {
            try HDF5Library.check(H5Fflush(h, H5F_SCOPE_LOCAL), file: filePath, object: "/", "flush")
        }
    }
}
