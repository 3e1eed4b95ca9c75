import CHDF5

/// Bounds on what a read may allocate. A dataset's shape is only a claim: a chunked dataset can
/// claim 2⁴⁰ rows in a file of 1 MB (unwritten chunks read as fill values). Every read checks,
/// with overflow-checked arithmetic, that the bytes it asks for could have come from the file:
///
///     elements × stored element size ≤ file size × expansion
///
/// where `expansion` is 1 for a dataset without compression, and 1032 (the most zlib's deflate
/// can expand) for each compressing filter in its pipeline (every filter except shuffle and
/// Fletcher32). A claim beyond that is an `HDF5Error` naming the file and the dataset, before
/// anything is allocated.
extension HDF5Dataset {
    /// Largest expansion of one deflate stream: zlib's documented worst-case compression ratio.
    public static let maximumExpansionPerFilter = 1032

    /// Number of elements of the current extent; throws when the product does not fit in `Int`.
    public var elementCount: Int {
        get throws {
            let h = try handle()
            return try HDF5Library.sync { try checkedCount(try currentDims(h)) }
        }
    }

    /// Throws unless the whole dataset could be read within the bound above. Readers of
    /// untrusted files call this once per dataset to reject an impossible shape up front.
    public func checkClaimedSize() throws {
        let h = try handle()
        try HDF5Library.sync {
            let dims = try currentDims(h)
            try checkReadable(h, elements: try checkedCount(dims), what: "shape \(dims.map { Int($0) })")
        }
    }

    /// Product of `dims` (1 for a scalar), or an error when it overflows `Int`.
    func checkedCount<S: Sequence>(_ dims: S) throws -> Int where S.Element == hsize_t {
        var count = 1
        for d in dims {
            guard let v = Int(exactly: d) else { throw error("dimension \(d) is too large") }
            let (p, overflow) = count.multipliedReportingOverflow(by: v)
            guard !overflow else { throw error("shape \(Array(dims)) has more elements than a read can address") }
            count = p
        }
        return count
    }

    /// Throws unless `elements` elements of this dataset fit the read bound; `what` describes
    /// the request in the message. Call inside `HDF5Library.sync`.
    func checkReadable(_ h: hid_t, elements: Int, what: @autoclosure () -> String) throws {
        if elements == 0 { return }
        let t = try HDF5Library.check(H5Dget_type(h), file: filePath, object: path, "get type")
        let elementSize = H5Tget_size(t)
        H5Tclose(t)
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: max(1, elementSize))
        let factor = try expansionFactor(h)
        func limit() throws -> Int {
            let (l, o) = try fileSizeBytes().multipliedReportingOverflow(by: factor)
            return o ? Int.max : l
        }
        if !overflow, bytes <= (try limit()) { return }
        // A file open for writing may hold data in HDF5's caches that has no file space yet.
        if let file = rootFile, file.mode != .readOnly, !overflow {
            try HDF5Library.check(H5Fflush(h, H5F_SCOPE_LOCAL), file: filePath, object: path, "flush")
            if bytes <= (try limit()) { return }
        }
        let size = (try? fileSizeBytes()) ?? 0
        let claimed = overflow ? "more than \(Int.max)" : "\(bytes)"
        throw error("\(what()) claims \(claimed) bytes (\(elements) elements of \(elementSize) bytes), more than a file of \(size) bytes"
                    + (factor > 1 ? " can hold even compressed (at most \(factor)× its size)" : " can hold"))
    }

    /// 1, times `maximumExpansionPerFilter` for each filter other than shuffle and Fletcher32.
    private func expansionFactor(_ h: hid_t) throws -> Int {
        let dcpl = try HDF5Library.check(H5Dget_create_plist(h), file: filePath, object: path, "get creation properties")
        defer { H5Pclose(dcpl) }
        let n = try HDF5Library.check(H5Pget_nfilters(dcpl), file: filePath, object: path, "count filters")
        var factor = 1
        for i in 0..<n {
            var flags: UInt32 = 0, values = 0, config: UInt32 = 0
            let id = try HDF5Library.check(H5Pget_filter2(dcpl, UInt32(i), &flags, &values, nil, 0, nil, &config),
                                           file: filePath, object: path, "get filter \(i)")
            if id == H5Z_FILTER_SHUFFLE || id == H5Z_FILTER_FLETCHER32 { continue }
            let (f, o) = factor.multipliedReportingOverflow(by: Self.maximumExpansionPerFilter)
            factor = o ? Int.max : f
        }
        return factor
    }
}
