/// One atomic structure (a molecule or a periodic cell), in memory.
///
/// Units: positions in Å. Targets are stored in Cartesian form in the units of
/// their `TargetInfo`: a graph target holds `kind.components` values, an atom
/// target `atomCount * kind.components` values (atom-major, row-major 3x3 for rank 2).
public struct Structure: Equatable, Sendable {
    /// Atomic numbers Z in 1...118.
    public var atomicNumbers: [Int32]
    /// Cartesian positions in Å.
    public var positions: [SIMD3<Double>]
    /// Lattice vectors as rows (Å), if any.
    public var cell: [SIMD3<Double>]?
    /// Periodicity along each lattice vector; `nil` means non-periodic.
    public var pbc: SIMD3<UInt8>?
    /// Index of the structure in its source (QM9: molecule index), if known.
    public var id: Int64?
    /// Graph-level targets by name, `kind.components` values each.
    public var graphTargets: [String: [Double]]
    /// Per-atom targets by name, `atomCount * kind.components` values each.
    public var atomTargets: [String: [Double]]

    public init(atomicNumbers: [Int32], positions: [SIMD3<Double>], cell: [SIMD3<Double>]? = nil,
                pbc: SIMD3<UInt8>? = nil, id: Int64? = nil,
                graphTargets: [String: [Double]] = [:], atomTargets: [String: [Double]] = [:]) {
        self.atomicNumbers = atomicNumbers
        self.positions = positions
        self.cell = cell
        self.pbc = pbc
        self.id = id
        self.graphTargets = graphTargets
        self.atomTargets = atomTargets
    }

    public var atomCount: Int { atomicNumbers.count }

    /// True when a cell is present and at least one direction is periodic.
    public var isPeriodic: Bool {
        guard cell != nil, let p = pbc else { return false }
        return p.x != 0 || p.y != 0 || p.z != 0
    }
}
