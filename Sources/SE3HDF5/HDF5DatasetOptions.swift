/// Storage layout of a new dataset. Datasets are always CHUNKED along the first
/// dimension, extendible along it (`maxdims[0] = H5S_UNLIMITED`), and by default
/// compressed (shuffle + deflate) with a Fletcher32 checksum per chunk, so a flipped
/// bit in the file is reported as an error on read instead of returning wrong numbers.
public struct HDF5DatasetOptions: Equatable, Sendable {
    /// Rows (first-dimension entries) per chunk; a chunk is `[chunkRows, trailing dims...]`.
    public var chunkRows: Int
    /// Deflate (zlib) level 0...9, or `nil` for no compression.
    public var deflateLevel: Int?
    /// Byte-shuffle filter before deflate (helps numeric data compress).
    public var shuffle: Bool
    /// Fletcher32 checksum of each stored chunk, verified on every read.
    public var checksum: Bool

    public init(chunkRows: Int = 1024, deflateLevel: Int? = 4, shuffle: Bool = true, checksum: Bool = true) {
        self.chunkRows = chunkRows
        self.deflateLevel = deflateLevel
        self.shuffle = shuffle
        self.checksum = checksum
    }
}
