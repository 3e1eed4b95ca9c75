/// Constants of the se3 dataset format, version 1 (one HDF5 file per shard).
///
/// A shard holds whole structures. With G structures and A atoms in total:
/// - root attributes `format = "se3-dataset"`, `format_version = 1`, `length_unit = "angstrom"`;
/// - `/atomic_numbers` int32 [A], Z in 1...118;
/// - `/positions` float64 [A, 3] in Å (readers also accept float32), finite;
/// - `/offsets` int64 [G+1]: structure g owns atoms `offsets[g] ..< offsets[g+1]`;
///   `offsets[0] = 0`, non-decreasing, `offsets[G] = A`;
/// - optional `/ids` int64 [G]; optional `/cell` float64 [G, 3, 3] (rows are lattice
///   vectors, Å) together with `/pbc` uint8 [G, 3] (0 = open, 1 = periodic);
/// - graph targets `/graph/<name>` float64 [G], [G, 3] or [G, 3, 3] and per-atom targets
///   `/atom/<name>` float64 [A], [A, 3] or [A, 3, 3] (row-major 3×3), each with string
///   attributes `units` and `kind` (`scalar` | `vector` | `rank2`);
/// - optional `/statistics` group (see `DatasetStatistics`).
/// Every dataset is chunked along its first dimension, deflate-compressed and carries a
/// Fletcher32 checksum per chunk.
public enum DatasetFormat {
    public static let name = "se3-dataset"
    public static let version: Int64 = 1
    public static let lengthUnit = "angstrom"
    /// Largest accepted atomic number.
    public static let maxAtomicNumber: Int32 = 118

    public static let formatAttribute = "format"
    public static let versionAttribute = "format_version"
    public static let lengthUnitAttribute = "length_unit"
    public static let unitsAttribute = "units"
    public static let kindAttribute = "kind"

    public static let atomicNumbersPath = "/atomic_numbers"
    public static let positionsPath = "/positions"
    public static let offsetsPath = "/offsets"
    public static let idsPath = "/ids"
    public static let cellPath = "/cell"
    public static let pbcPath = "/pbc"
    public static let graphGroup = "/graph"
    public static let atomGroup = "/atom"
    public static let statisticsGroup = "/statistics"

    /// Dimensions after the first for a target of `kind`: [], [3] or [3, 3].
    public static func trailingShape(_ kind: TargetKind) -> [Int] {
        switch kind {
        case .scalar: return []
        case .vector: return [3]
        case .rank2: return [3, 3]
        }
    }

    /// The kind whose trailing shape is `shape`, if any.
    public static func kind(forTrailingShape shape: [Int]) -> TargetKind? {
        TargetKind.allCases.first { trailingShape($0) == shape }
    }

    /// HDF5 path of a target: `/graph/<name>` or `/atom/<name>`.
    public static func path(of target: TargetInfo) -> String {
        (target.level == .graph ? graphGroup : atomGroup) + "/" + target.name
    }

    /// Whether `name` can be used as a target name (non-empty, no `/`, not `.` or `..`).
    public static func isValidTargetName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && name != "." && name != ".."
    }
}
