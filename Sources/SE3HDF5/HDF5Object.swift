import CHDF5

/// Base of every open HDF5 object (file, group, dataset). Holds the HDF5 identifier
/// and closes it in `deinit` (or earlier with `close()`); keeps its file alive.
/// Attribute access lives in `HDF5Object+Attributes.swift`.
public class HDF5Object {
    enum Kind { case file, group, dataset }

    private var rawHandle: hid_t
    let kind: Kind
    /// Path of the file on disk.
    public let filePath: String
    /// Path of this object inside the file (`/` for the file and the root group).
    public let path: String
    /// Keeps the file (or parent) alive while this object is used.
    let owner: HDF5Object?

    init(handle: hid_t, kind: Kind, filePath: String, path: String, owner: HDF5Object?) {
        self.rawHandle = handle
        self.kind = kind
        self.filePath = filePath
        self.path = path
        self.owner = owner
    }

    deinit {
        if rawHandle >= 0 {
            let h = rawHandle
            let k = kind
            HDF5Library.sync {
                _ = HDF5Object.closeID(h, kind: k)
                se3_h5_clear_errors()
            }
        }
    }

    /// Whether `close()` has not been called yet.
    public var isOpen: Bool { rawHandle >= 0 }

    /// The live identifier, or an error naming the object when it was closed.
    func handle() throws -> hid_t {
        guard rawHandle >= 0 else {
            throw HDF5Error(file: filePath, object: path, message: "object is closed")
        }
        return rawHandle
    }

    /// Closes the identifier now; later use throws. Closing twice is a no-op.
    public func close() throws {
        guard rawHandle >= 0 else { return }
        let h = rawHandle
        rawHandle = -1
        try HDF5Library.sync {
            try HDF5Library.check(HDF5Object.closeID(h, kind: kind), file: filePath, object: path, "close")
        }
    }

    static func closeID(_ id: hid_t, kind: Kind) -> herr_t {
        switch kind {
        case .file: return H5Fclose(id)
        case .group: return H5Gclose(id)
        case .dataset: return H5Dclose(id)
        }
    }

    /// The file this object belongs to (the end of the `owner` chain).
    var rootFile: HDF5File? {
        var object: HDF5Object = self
        while let o = object.owner { object = o }
        return object as? HDF5File
    }

    /// Size of the file in bytes as HDF5 sees it (its end of file or end of allocated space,
    /// whichever is larger): the bound on anything a read of this object may return.
    func fileSizeBytes() throws -> Int {
        guard let file = rootFile else { throw error("object has no open file") }
        let h = try file.handle()
        var size: hsize_t = 0
        try HDF5Library.check(H5Fget_filesize(h, &size), file: filePath, object: path, "get file size")
        return Int(clamping: size)
    }

    /// Path of a child `name` of this object, for error messages and new objects.
    func childPath(_ name: String) -> String {
        if name.hasPrefix("/") { return name }
        return path == "/" ? "/" + name : path + "/" + name
    }

    /// An error about this object (or `object` inside it).
    func error(_ message: String, object: String? = nil) -> HDF5Error {
        HDF5Error(file: filePath, object: object ?? path, message: message)
    }
}
