import CHDF5

/// Scalar attributes: strings (fixed-length on write; fixed or variable length on read,
/// so files written by h5py are accepted), 64-bit integers and doubles.
extension HDF5Object {
    private func attributeObject(_ name: String) -> String { "\(path) (attribute \(name))" }

    /// Whether an attribute `name` is attached to this object.
    public func hasAttribute(_ name: String) throws -> Bool {
        let h = try handle()
        return try HDF5Library.sync {
            let r = H5Aexists(h, name)
            try HDF5Library.check(r, file: filePath, object: attributeObject(name), "check attribute")
            return r > 0
        }
    }

    /// Removes attribute `name` if present.
    public func deleteAttribute(_ name: String) throws {
        let h = try handle()
        try HDF5Library.sync {
            let r = H5Aexists(h, name)
            try HDF5Library.check(r, file: filePath, object: attributeObject(name), "check attribute")
            if r > 0 {
                try HDF5Library.check(H5Adelete(h, name), file: filePath, object: attributeObject(name), "delete attribute")
            }
        }
    }

    /// Writes (or replaces) a string attribute, stored as a fixed-length, NUL-padded ASCII/UTF-8 string.
    public func setAttribute(_ name: String, _ value: String) throws {
        let bytes = Array(value.utf8)
        try writeScalarAttribute(name, fileType: { () -> hid_t in
            let t = H5Tcopy(se3_h5t_c_s1())
            if t >= 0 {
                _ = H5Tset_size(t, max(1, bytes.count))
                _ = H5Tset_strpad(t, H5T_STR_NULLPAD)
                _ = H5Tset_cset(t, H5T_CSET_UTF8)
            }
            return t
        }, closeFileType: true, memType: nil) { attr, ftype in
            var buffer = bytes
            if buffer.isEmpty { buffer = [0] }
            return buffer.withUnsafeBytes { H5Awrite(attr, ftype, $0.baseAddress) }
        }
    }

    /// Writes (or replaces) a scalar 64-bit integer attribute.
    public func setAttribute(_ name: String, _ value: Int64) throws {
        try writeScalarAttribute(name, fileType: { se3_h5t_std_i64le() }, closeFileType: false, memType: se3_h5t_native_int64()) { attr, mtype in
            var v = value
            return H5Awrite(attr, mtype, &v)
        }
    }

    /// Writes (or replaces) a scalar double attribute.
    public func setAttribute(_ name: String, _ value: Double) throws {
        try writeScalarAttribute(name, fileType: { se3_h5t_ieee_f64le() }, closeFileType: false, memType: se3_h5t_native_double()) { attr, mtype in
            var v = value
            return H5Awrite(attr, mtype, &v)
        }
    }

    private func writeScalarAttribute(_ name: String, fileType: () -> hid_t, closeFileType: Bool, memType: hid_t?,
                                      write: (hid_t, hid_t) -> herr_t) throws {
        let h = try handle()
        let object = attributeObject(name)
        try HDF5Library.sync {
            let exists = H5Aexists(h, name)
            try HDF5Library.check(exists, file: filePath, object: object, "check attribute")
            if exists > 0 {
                try HDF5Library.check(H5Adelete(h, name), file: filePath, object: object, "replace attribute")
            }
            let ftype = try HDF5Library.check(fileType(), file: filePath, object: object, "create attribute type")
            defer { if closeFileType { H5Tclose(ftype) } }
            let space = try HDF5Library.check(H5Screate(H5S_SCALAR), file: filePath, object: object, "create dataspace")
            defer { H5Sclose(space) }
            let attr = try HDF5Library.check(H5Acreate2(h, name, ftype, space, se3_h5p_default(), se3_h5p_default()),
                                             file: filePath, object: object, "create attribute")
            defer { H5Aclose(attr) }
            try HDF5Library.check(write(attr, memType ?? ftype), file: filePath, object: object, "write attribute")
        }
    }

    /// Runs `body` with an open attribute, its type and its number of elements.
    private func withAttribute<T>(_ name: String, _ body: (hid_t, hid_t, Int) throws -> T) throws -> T {
        let h = try handle()
        let object = attributeObject(name)
        return try HDF5Library.sync {
            let exists = H5Aexists(h, name)
            try HDF5Library.check(exists, file: filePath, object: object, "check attribute")
            if exists == 0 { throw HDF5Error(file: filePath, object: object, message: "attribute is missing") }
            let attr = try HDF5Library.check(H5Aopen(h, name, se3_h5p_default()), file: filePath, object: object, "open attribute")
            defer { H5Aclose(attr) }
            let type = try HDF5Library.check(H5Aget_type(attr), file: filePath, object: object, "get attribute type")
            defer { H5Tclose(type) }
            let space = try HDF5Library.check(H5Aget_space(attr), file: filePath, object: object, "get attribute dataspace")
            defer { H5Sclose(space) }
            let n = try HDF5Library.check(H5Sget_simple_extent_npoints(space), file: filePath, object: object, "get attribute size")
            return try body(attr, type, Int(n))
        }
    }

    /// The class of an attribute's stored type.
    public func attributeTypeClass(_ name: String) throws -> HDF5TypeClass {
        try withAttribute(name) { _, type, _ in HDF5TypeClass.of(type) }
    }

    /// Reads a string attribute (fixed or variable length); trailing NULs and spaces are removed.
    public func stringAttribute(_ name: String) throws -> String {
        let object = attributeObject(name)
        return try withAttribute(name) { attr, type, n in
            guard H5Tget_class(type) == H5T_STRING else {
                throw HDF5Error(file: filePath, object: object, message: "expected a string attribute, found \(HDF5TypeClass.of(type))")
            }
            guard n == 1 else {
                throw HDF5Error(file: filePath, object: object, message: "expected a scalar string attribute, found \(n) elements")
            }
            let isVariable = H5Tis_variable_str(type)
            try HDF5Library.check(isVariable, file: filePath, object: object, "inspect string type")
            if isVariable > 0 {
                let mtype = try HDF5Library.check(H5Tcopy(se3_h5t_c_s1()), file: filePath, object: object, "create string type")
                defer { H5Tclose(mtype) }
                try HDF5Library.check(H5Tset_size(mtype, se3_h5t_variable()),
                                      file: filePath, object: object, "create string type")
                var pointer: UnsafeMutablePointer<CChar>? = nil
                try HDF5Library.check(H5Aread(attr, mtype, &pointer), file: filePath, object: object, "read attribute")
                guard let p = pointer else { return "" }
                let s = String(cString: p)
                H5free_memory(p)
                return s
            }
            let size = H5Tget_size(type)
            guard size > 0 else { return "" }
            guard size <= (try fileSizeBytes()) else {
                throw HDF5Error(file: filePath, object: object, message: "string of \(size) bytes claimed, more than the file holds")
            }
            var buffer = [UInt8](repeating: 0, count: size + 1)
            try buffer.withUnsafeMutableBytes { raw in
                _ = try HDF5Library.check(H5Aread(attr, type, raw.baseAddress), file: filePath, object: object, "read attribute")
            }
            var bytes = Array(buffer[0..<size])
            while let last = bytes.last, last == 0 || last == 32 { bytes.removeLast() }
            if let nul = bytes.firstIndex(of: 0) { bytes = Array(bytes[..<nul]) }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Reads a scalar (or one-element) integer attribute.
    public func integerAttribute(_ name: String) throws -> Int64 {
        let object = attributeObject(name)
        return try withAttribute(name) { attr, type, n in
            guard HDF5TypeClass.of(type).isInteger else {
                throw HDF5Error(file: filePath, object: object, message: "expected an integer attribute, found \(HDF5TypeClass.of(type))")
            }
            guard n == 1 else {
                throw HDF5Error(file: filePath, object: object, message: "expected a scalar attribute, found \(n) elements")
            }
            var v: Int64 = 0
            try HDF5Library.check(H5Aread(attr, se3_h5t_native_int64(), &v), file: filePath, object: object, "read attribute")
            return v
        }
    }

    /// Reads a scalar (or one-element) numeric attribute as a double.
    public func doubleAttribute(_ name: String) throws -> Double {
        let object = attributeObject(name)
        return try withAttribute(name) { attr, type, n in
            guard HDF5TypeClass.of(type).isNumeric else {
                throw HDF5Error(file: filePath, object: object, message: "expected a numeric attribute, found \(HDF5TypeClass.of(type))")
            }
            guard n == 1 else {
                throw HDF5Error(file: filePath, object: object, message: "expected a scalar attribute, found \(n) elements")
            }
            var v: Double = 0
            try HDF5Library.check(H5Aread(attr, se3_h5t_native_double(), &v), file: filePath, object: object, "read attribute")
            return v
        }
    }
}
