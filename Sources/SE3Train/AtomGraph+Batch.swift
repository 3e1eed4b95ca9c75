import SE3Data
import SE3Models

extension AtomGraph {
    /// The model input of a batch: atoms, positions, cells and the batch's radius-graph edges with
    /// their lattice shifts (same convention: `v_e = x_source + n_e · cell − x_destination`, so
    /// `edgeVectors` equals `batch.edgeVectors`).
    public init(_ batch: GraphBatch) {
        self.init(atomicNumbers: batch.atomicNumbers, atomGraph: batch.graphIndex, graphCount: batch.graphCount,
                  positions: batch.positions, cells: batch.cells, edgeSource: batch.source,
                  edgeDestination: batch.destination, edgeShifts: batch.shifts)
    }
}
