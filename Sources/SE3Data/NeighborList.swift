/// Radius graph of one structure: all ordered pairs (destination i, source j, shift n) with
///
///     |x_j + n·cell - x_i| < cutoff,   (i, j, n) ≠ (i, i, 0),
///
/// where `n` ranges over integer vectors with `n_d = 0` along non-periodic directions.
/// An atom may neighbour its own periodic images (i == j, n ≠ 0), as in ASE / MACE; only
/// the zero-shift self pair is excluded. See `GraphEdges` for the direction convention
/// (`vectors = x_source + n·cell - x_destination`, sorted by destination, source, shift).
///
/// Algorithm: cell list, O(N) for bounded density. Atoms are binned in fractional
/// coordinates of the (periodic part of the) cell; along each direction a bin is at least
/// `cutoff` thick measured perpendicular to the bin faces (`CellGeometry.heights`), so a
/// neighbour lies at most `K_d = ceil(cutoff · bins_d / h_d)` bins away (`K_d = 1`
/// unless the cell is thinner than the cutoff, in which case several images are
/// visited). Positions outside the cell are wrapped for binning only; the reported shift
/// refers to the positions as given.
///
/// `maxNeighbors = k` keeps, for every destination atom, the `k` edges with the smallest
/// `|vector|`; ties are broken by smaller source index, then lexicographically smaller
/// shift. The result is then no longer symmetric in general.
///
/// Impossible or oversized structures are errors, not graphs: two atoms (or an atom and its
/// own periodic image) closer than `minDistance`, more than `maxAtoms` atoms, or more than
/// `maxEdges` edges (each nil: no check).
public struct NeighborList: Equatable, Sendable {
    /// Cutoff radius in Å (strict: pairs at exactly `cutoff` are excluded).
    public var cutoff: Double
    /// Optional cap on incoming edges per destination atom.
    public var maxNeighbors: Int?
    /// Smallest allowed distance between two atoms, in Å (`data.min_distance`).
    public var minDistance: Double?
    /// Largest allowed structure (`data.max_atoms_per_structure`, `data.max_edges_per_structure`).
    public var maxAtoms: Int?
    public var maxEdges: Int?

    public init(cutoff: Double, maxNeighbors: Int? = nil, minDistance: Double? = nil, maxAtoms: Int? = nil,
                maxEdges: Int? = nil) {
        self.cutoff = cutoff
        self.maxNeighbors = maxNeighbors
        self.minDistance = minDistance
        self.maxAtoms = maxAtoms
        self.maxEdges = maxEdges
    }

    /// The Cartesian shift `n.x · cell[0] + n.y · cell[1] + n.z · cell[2]` (zero without a cell).
    @inline(__always)
    public static func cartesianShift(_ n: SIMD3<Int32>, cell: [SIMD3<Double>]?) -> SIMD3<Double> {
        guard let c = cell, c.count == 3 else { return .zero }
        return Double(n.x) * c[0] + Double(n.y) * c[1] + Double(n.z) * c[2]
    }

    /// Edges of `structure`. `context` names the structure in errors (default: "structure <id>").
    /// Periodic exactly when `structure.isPeriodic`; a structure with periodic `pbc` but no
    /// cell is an error, not silently treated as a molecule.
    public func edges(for structure: Structure, context: String? = nil) throws -> GraphEdges {
        let ctx = context ?? "structure \(structure.id.map(String.init) ?? "?")"
        guard structure.positions.count == structure.atomCount else {
            throw DataError(file: ctx, field: "positions",
                            "\(structure.positions.count) positions for \(structure.atomCount) atomic numbers")
        }
        return try edges(positions: structure.positions, cell: structure.cell, pbc: structure.pbc, context: ctx)
    }

    /// Edges for raw arrays. `pbc == nil` or all zero means non-periodic (the cell is ignored).
    /// - Throws: `DataError` for a non-positive / non-finite cutoff, `maxNeighbors < 0`,
    ///   non-finite positions, a singular periodic cell, a cell so thin compared to the
    ///   cutoff that more than 10⁶ image bins would be visited per atom, and for the limits
    ///   (`minDistance`, `maxAtoms`, `maxEdges`).
    public func edges(positions: [SIMD3<Double>], cell: [SIMD3<Double>]?, pbc: SIMD3<UInt8>?,
                      context: String = "structure") throws -> GraphEdges {
        guard cutoff.isFinite, cutoff > 0 else {
            throw DataError(file: context, field: "cutoff", "cutoff must be a positive finite number, got \(cutoff)")
        }
        if let k = maxNeighbors, k < 0 {
            throw DataError(file: context, field: "maxNeighbors", "maxNeighbors must be >= 0, got \(k)")
        }
        let n = positions.count
        guard n < Int(Int32.max) else {
            throw DataError(file: context, field: "positions", "too many atoms (\(n)) for Int32 indices")
        }
        for (a, r) in positions.enumerated() where !(r.x.isFinite && r.y.isFinite && r.z.isFinite) {
            throw DataError(file: context, field: "positions", "atom \(a) has a non-finite position \(r)")
        }
        if let m = maxAtoms, n > m {
            throw DataError(file: context, field: "positions",
                            "\(n) atoms, more than data.max_atoms_per_structure (\(m))")
        }
        if n == 0 { return GraphEdges() }
        let geo = try CellGeometry(cell: cell, pbc: pbc, context: context)
        let lattice: [SIMD3<Double>] = (geo.periodic == .zero) ? [.zero, .zero, .zero] : (cell ?? [.zero, .zero, .zero])
        let edges = try buildEdges(positions: positions, geometry: geo, lattice: lattice, context: context)
        if let dmin = minDistance {
            let d2 = dmin * dmin
            for e in 0..<edges.count {
                let v = edges.vectors[e], r2 = (v * v).sum()
                guard r2 < d2 else { continue }
                let i = edges.destination[e], j = edges.source[e], s = edges.shifts[e]
                let what = i == j ? "atom \(i) and its periodic image \(s)" : "atoms \(j) and \(i)\(s == .zero ? "" : " (image \(s))")"
                throw DataError(file: context, field: "positions",
                                "\(what) are \(r2.squareRoot()) Å apart, closer than data.min_distance (\(dmin) Å): coincident or impossible geometry")
            }
        }
        if let m = maxEdges, edges.count > m {
            throw DataError(file: context, field: "positions",
                            "\(edges.count) edges within the \(cutoff) Å cutoff, more than data.max_edges_per_structure (\(m))")
        }
        return edges
    }
}
