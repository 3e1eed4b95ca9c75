import SE3HDF5

/// Write buffer of one extendible dataset: values are appended row by row and written
/// in whole chunks (`chunkRows` rows), so writes line up with the HDF5 chunk grid and at
/// most one chunk per dataset is held in memory.
final class DatasetColumn<T: HDF5Scalar> {
    let dataset: HDF5Dataset
    let rowWidth: Int
    let chunkRows: Int
    private var buffer: [T] = []

    init(_ dataset: HDF5Dataset, rowWidth: Int, chunkRows: Int) {
        self.dataset = dataset
        self.rowWidth = rowWidth
        self.chunkRows = chunkRows
        buffer.reserveCapacity(rowWidth * chunkRows)
    }

    @inline(__always) func append(_ value: T) { buffer.append(value) }
    @inline(__always) func append<S: Sequence>(contentsOf values: S) where S.Element == T { buffer.append(contentsOf: values) }

    /// Writes every complete chunk held in the buffer.
    func flushFullChunks() throws {
        let chunk = chunkRows * rowWidth
        guard buffer.count >= chunk else { return }
        let whole = (buffer.count / chunk) * chunk
        try dataset.appendRows(Array(buffer[0..<whole]))
        buffer.removeFirst(whole)
    }

    /// Writes whatever is left and closes the dataset.
    func finish() throws {
        try flushFullChunks()
        if !buffer.isEmpty { try dataset.appendRows(buffer) }
        buffer = []
        try dataset.close()
    }
}
