/// Several structures concatenated into one disconnected graph (G graphs, A atoms, E edges).
///
/// Atoms of graph g are `atomOffsets[g] ..< atomOffsets[g+1]`, its edges
/// `edgeOffsets[g] ..< edgeOffsets[g+1]`; edge indices are global (already offset by
/// `atomOffsets[g]`), and follow the `GraphEdges` convention:
/// `edgeVectors[e] = positions[source[e]] + shifts[e]·cell(g) - positions[destination[e]]`,
/// message source → destination, sorted by destination within each graph (hence globally).
/// Targets: `graphTargets[name]` holds `G · components` values (graph-major),
/// `atomTargets[name]` holds `A · components` values (atom-major; rank 2 row-major 3×3).
public struct GraphBatch: Equatable, Sendable {
    public var atomicNumbers: [Int32]
    /// Cartesian positions, Å (A).
    public var positions: [SIMD3<Double>]
    /// Graph of every atom (A), values in 0..<G.
    public var graphIndex: [Int32]
    /// G + 1 atom offsets.
    public var atomOffsets: [Int]
    /// Global source / destination atom indices (E).
    public var source: [Int32]
    public var destination: [Int32]
    /// `x_source + shift·cell - x_destination`, Å (E).
    public var edgeVectors: [SIMD3<Double>]
    /// Integer lattice shifts of the source atom (E).
    public var shifts: [SIMD3<Int32>]
    /// G + 1 edge offsets.
    public var edgeOffsets: [Int]
    /// Lattice vectors of graph g are `cells[3g ..< 3g+3]` (rows, Å; zero rows when non-periodic).
    public var cells: [SIMD3<Double>]
    /// Periodic flags per graph (zero when non-periodic).
    public var pbc: [SIMD3<UInt8>]
    /// Graph-level targets, `G · components` each.
    public var graphTargets: [String: [Double]]
    /// Atom-level targets, `A · components` each.
    public var atomTargets: [String: [Double]]
    /// Structure ids (nil where unknown), G.
    public var ids: [Int64?]

    public var graphCount: Int { atomOffsets.count - 1 }
    public var atomCount: Int { atomicNumbers.count }
    public var edgeCount: Int { source.count }

    public init(atomicNumbers: [Int32], positions: [SIMD3<Double>], graphIndex: [Int32], atomOffsets: [Int],
                source: [Int32], destination: [Int32], edgeVectors: [SIMD3<Double>], shifts: [SIMD3<Int32>],
                edgeOffsets: [Int], cells: [SIMD3<Double>], pbc: [SIMD3<UInt8>],
                graphTargets: [String: [Double]], atomTargets: [String: [Double]], ids: [Int64?]) {
        self.atomicNumbers = atomicNumbers
        self.positions = positions
        self.graphIndex = graphIndex
        self.atomOffsets = atomOffsets
        self.source = source
        self.destination = destination
        self.edgeVectors = edgeVectors
        self.shifts = shifts
        self.edgeOffsets = edgeOffsets
        self.cells = cells
        self.pbc = pbc
        self.graphTargets = graphTargets
        self.atomTargets = atomTargets
        self.ids = ids
    }
}
