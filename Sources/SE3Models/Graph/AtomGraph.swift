import SE3Math

/// The input of every model: a batch of structures as one graph, independent of precision.
///
/// Conventions: positions in Å; an edge carries a message from `edgeSource` to
/// `edgeDestination`; its vector is
///
///     v_e = x[source] + n_e · cell(g) − x[destination],     n_e · cell(g) = Σ_k n_{e,k} a_k(g),
///
/// with `n_e = edgeShifts[e]` the integer lattice shift of the source's periodic image and
/// `a_k(g) = cells[3g + k]` the lattice vectors (rows) of the edge's graph `g` (zero for
/// molecules, whose shifts are zero). Under a rotation R every position and lattice vector becomes
/// R·x, so every edge vector becomes R·v (under inversion −v); a translation changes nothing.
/// Models compute `v_e` from the positions on the tape (`GraphGeometry`), so the gradient of any
/// output with respect to positions (forces) and cells (the virial) exists.
public struct AtomGraph: Sendable, Equatable {
    /// Atomic number Z of each atom.
    public var atomicNumbers: [Int32]
    /// Graph (structure) index of each atom, 0..<graphCount.
    public var atomGraph: [Int32]
    public var graphCount: Int
    /// Cartesian positions, Å (one per atom).
    public var positions: [SIMD3<Double>]
    /// Lattice vectors: `cells[3g ..< 3g + 3]` are the rows `a_0, a_1, a_2` of graph `g` (Å; zero
    /// rows for molecules).
    public var cells: [SIMD3<Double>]
    public var edgeSource: [Int32]
    public var edgeDestination: [Int32]
    /// Integer lattice shift of each edge's source image (zero for molecules).
    public var edgeShifts: [SIMD3<Int32>]

    /// `cells` default to zero (molecules), `edgeShifts` to zero.
    public init(atomicNumbers: [Int32], atomGraph: [Int32], graphCount: Int, positions: [SIMD3<Double>],
                cells: [SIMD3<Double>]? = nil, edgeSource: [Int32], edgeDestination: [Int32],
                edgeShifts: [SIMD3<Int32>]? = nil) {
        self.atomicNumbers = atomicNumbers
        self.atomGraph = atomGraph
        self.graphCount = graphCount
        self.positions = positions
        self.cells = cells ?? [SIMD3<Double>](repeating: .zero, count: 3 * max(0, graphCount))
        self.edgeSource = edgeSource
        self.edgeDestination = edgeDestination
        self.edgeShifts = edgeShifts ?? [SIMD3<Int32>](repeating: .zero, count: edgeSource.count)
    }

    public var atomCount: Int { atomicNumbers.count }
    public var edgeCount: Int { edgeSource.count }

    /// Graph of every edge (that of its destination atom).
    public var edgeGraph: [Int32] { edgeDestination.map { atomGraph[Int($0)] } }

    /// `v_e` in Double for every edge (see the type's documentation); call `validate()` first on
    /// untrusted graphs.
    public var edgeVectors: [SIMD3<Double>] {
        var out = [SIMD3<Double>](repeating: .zero, count: edgeCount)
        for e in 0..<edgeCount {
            var v = positions[Int(edgeSource[e])] - positions[Int(edgeDestination[e])]
            let n = edgeShifts[e]
            if n != .zero {
                let g = 3 * Int(atomGraph[Int(edgeDestination[e])])
                let a0: SIMD3<Double> = cells[g] * Double(n.x), a1: SIMD3<Double> = cells[g + 1] * Double(n.y)
                let a2: SIMD3<Double> = cells[g + 2] * Double(n.z)
                v += a0 + a1 + a2
            }
            out[e] = v
        }
        return out
    }

    /// Applies an orthogonal matrix (`x ↦ R x`) to every position and lattice vector: used by
    /// equivariance tests.
    public func transformed(by r: Rotation) -> AtomGraph {
        var g = self
        g.positions = positions.map { r * $0 }
        g.cells = cells.map { r * $0 }
        return g
    }

    /// Adds `t` to every position (edge vectors are unchanged).
    public func translated(by t: SIMD3<Double>) -> AtomGraph {
        var g = self
        g.positions = positions.map { $0 + t }
        return g
    }
}
