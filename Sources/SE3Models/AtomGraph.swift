/// The input of every model: a batch of structures as one graph, independent of precision.
///
/// Conventions: positions in Å; an edge carries a message from `edgeSource` to `edgeDestination`;
/// `edgeVectors[e] = r[source] + shift - r[destination]` (shift: the periodic image offset, zero
/// for molecules). Under a rotation R every edge vector becomes R·v, under inversion −v.
public struct AtomGraph: Sendable, Equatable {
    /// Atomic number Z of each atom.
    public var atomicNumbers: [Int32]
    /// Graph (structure) index of each atom, 0..<graphCount, non-decreasing.
    public var atomGraph: [Int32]
    public var graphCount: Int
    public var edgeSource: [Int32]
    public var edgeDestination: [Int32]
    /// Edge vectors in Å (see the type's documentation for the direction).
    public var edgeVectors: [SIMD3<Double>]

    public init(atomicNumbers: [Int32], atomGraph: [Int32], graphCount: Int,
                edgeSource: [Int32], edgeDestination: [Int32], edgeVectors: [SIMD3<Double>]) {
        self.atomicNumbers = atomicNumbers
        self.atomGraph = atomGraph
        self.graphCount = graphCount
        self.edgeSource = edgeSource
        self.edgeDestination = edgeDestination
        self.edgeVectors = edgeVectors
    }

    public var atomCount: Int { atomicNumbers.count }
    public var edgeCount: Int { edgeSource.count }

    /// Applies a rotation matrix (row-major 3x3, x ↦ R x) to every edge vector: used by equivariance tests.
    public func transformed(by r: [Double]) -> AtomGraph {
        var g = self
        g.edgeVectors = edgeVectors.map { v in
            SIMD3(r[0] * v.x + r[1] * v.y + r[2] * v.z,
                  r[3] * v.x + r[4] * v.y + r[5] * v.z,
                  r[6] * v.x + r[7] * v.y + r[8] * v.z)
        }
        return g
    }
}
