import SE3Data

/// What `se3 predict` reads: an se3 dataset (a directory of shards or an HDF5 file) or an
/// extended-XYZ file, as structures in input order, each with its frame text for XYZ input.
protocol PredictionSource: AnyObject {
    /// Structures in the whole input.
    var count: Int { get }
    /// The input path, for errors.
    var name: String { get }
    /// "frame" (XYZ) or "structure" (dataset), for errors.
    var unit: String { get }
    /// Moves to structure `index` (before the first `next`).
    func seek(_ index: Int) throws
    /// Up to `n` next structures in input order.
    func next(_ n: Int) throws -> [(structure: Structure, text: XYZFrameText?)]
}
