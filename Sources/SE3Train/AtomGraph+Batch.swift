import SE3Data
import SE3Models

extension AtomGraph {
    /// The model input of a batch: atoms, graph membership and the batch's radius-graph edges
    /// (same direction convention: `edgeVectors[e] = x_source + shift − x_destination`).
    public init(_ batch: GraphBatch) {
        self.init(atomicNumbers: batch.atomicNumbers, atomGraph: batch.graphIndex, graphCount: batch.graphCount,
                  edgeSource: batch.source, edgeDestination: batch.destination, edgeVectors: batch.edgeVectors)
    }
}
