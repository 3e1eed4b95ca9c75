/// The directed edges of a radius graph (one structure or a batch).
///
/// Convention (used everywhere in se3): a message flows **source → destination**.
/// Edge `e` connects atom `source[e]` (the neighbour, "j" in seed eq. 11) to atom
/// `destination[e]` (the receiver, "i"); the source sits in the periodic image shifted by
/// the integer lattice vector `shifts[e] = n`, and
///
///     vectors[e] = (positions[source[e]] + shiftCartesian(n)) - positions[destination[e]]
///     shiftCartesian(n) = n.x · cell[0] + n.y · cell[1] + n.z · cell[2]   (cell rows = lattice vectors)
///
/// i.e. `vectors[e] = x_j - x_i` of seed eq. 11/12, pointing from the receiver to the
/// neighbour, in Å. Every pair within the cutoff appears in both directions
/// (`(i, j, n)` and `(j, i, -n)`), unless `maxNeighbors` pruned one of them.
/// Edges are sorted by destination, then source, then shift (lexicographic x, y, z).
public struct GraphEdges: Equatable, Sendable {
    /// Index of the sending atom (the neighbour j).
    public var source: [Int32]
    /// Index of the receiving atom (i).
    public var destination: [Int32]
    /// Integer lattice shift `n` applied to the source atom (zero without periodicity).
    public var shifts: [SIMD3<Int32>]
    /// `x_source + n·cell - x_destination` in Å.
    public var vectors: [SIMD3<Double>]

    public init(source: [Int32] = [], destination: [Int32] = [], shifts: [SIMD3<Int32>] = [],
                vectors: [SIMD3<Double>] = []) {
        self.source = source
        self.destination = destination
        self.shifts = shifts
        self.vectors = vectors
    }

    /// Number of edges.
    public var count: Int { source.count }

    /// CSR offsets by destination: edges of destination atom `a` are
    /// `offsets[a] ..< offsets[a+1]` (valid because edges are sorted by destination).
    /// Returns `atomCount + 1` values.
    public func destinationOffsets(atomCount: Int) -> [Int] {
        var offsets = [Int](repeating: 0, count: atomCount + 1)
        for d in destination where Int(d) < atomCount { offsets[Int(d) + 1] += 1 }
        for a in 0..<atomCount { offsets[a + 1] += offsets[a] }
        return offsets
    }

    /// Edge lengths `|vectors[e]|` in Å.
    public var lengths: [Double] {
        vectors.map { ($0 * $0).sum().squareRoot() }
    }
}
