extension AtomGraph {
    /// Checks the arrays (counts, index ranges, finite positions and cells, edges inside one
    /// graph) so that models never trap on bad data; throws `ModelError.invalidGraph` naming the
    /// field.
    public func validate() throws {
        let n = atomCount, e = edgeCount
        func fail(_ field: String, _ reason: String) -> ModelError { .invalidGraph(field: field, reason: reason) }
        guard graphCount >= 0 else { throw fail("graphCount", "must be >= 0, got \(graphCount)") }
        guard atomGraph.count == n else {
            throw fail("atomGraph", "has \(atomGraph.count) entries for \(n) atoms")
        }
        if let i = atomGraph.firstIndex(where: { $0 < 0 || Int($0) >= graphCount }) {
            throw fail("atomGraph", "atom \(i) belongs to graph \(atomGraph[i]), outside 0..<\(graphCount)")
        }
        guard positions.count == n else { throw fail("positions", "has \(positions.count) entries for \(n) atoms") }
        if let i = positions.firstIndex(where: { !($0.x.isFinite && $0.y.isFinite && $0.z.isFinite) }) {
            throw fail("positions", "atom \(i) has a non-finite position \(positions[i])")
        }
        guard cells.count == 3 * graphCount else {
            throw fail("cells", "has \(cells.count) lattice vectors for \(graphCount) graphs (3 each)")
        }
        if let i = cells.firstIndex(where: { !($0.x.isFinite && $0.y.isFinite && $0.z.isFinite) }) {
            throw fail("cells", "lattice vector \(i % 3) of graph \(i / 3) is not finite: \(cells[i])")
        }
        guard edgeDestination.count == e, edgeShifts.count == e else {
            throw fail("edgeDestination", "\(e) sources, \(edgeDestination.count) destinations, \(edgeShifts.count) shifts")
        }
        if let i = edgeSource.firstIndex(where: { $0 < 0 || Int($0) >= n }) {
            throw fail("edgeSource", "edge \(i) starts at atom \(edgeSource[i]), outside 0..<\(n)")
        }
        if let i = edgeDestination.firstIndex(where: { $0 < 0 || Int($0) >= n }) {
            throw fail("edgeDestination", "edge \(i) ends at atom \(edgeDestination[i]), outside 0..<\(n)")
        }
        if let i = (0..<e).first(where: { atomGraph[Int(edgeSource[$0])] != atomGraph[Int(edgeDestination[$0])] }) {
            throw fail("edgeSource", "edge \(i) connects atoms \(edgeSource[i]) and \(edgeDestination[i]) of different graphs")
        }
        if let i = edgeVectors.firstIndex(where: { !($0.x.isFinite && $0.y.isFinite && $0.z.isFinite) }) {
            throw fail("edgeShifts", "edge \(i) has a non-finite vector (shift \(edgeShifts[i]))")
        }
    }
}
