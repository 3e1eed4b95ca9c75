import SE3Layers
import SE3Math
import SE3Tensor

/// The edge inputs of every interaction layer of one forward pass, computed once from the
/// positions on the tape (`GraphGeometry`; `EdgeGeometry` ops, so gradients reach positions and
/// cells):
///
///     vectors[e]               = x[src] + n_e · cell − x[dst]                       (Å, `AtomGraph`)
///     sphericalHarmonics[e, i] = Y_i(v̂_e),   i = l² + l + m,   l = 0...lmax          (seed eq. 3; component normalisation)
///     radialEmbedding[p, k]    = b_k(|v_p|) · u(|v_p| / cutoff)                    (one row per atom pair, `EdgePairs`)
///
/// Both directed edges of a pair have the same length, so radial quantities are computed per
/// pair (`pairs.pair[e]` is the row of edge `e`): layers pass `pairs.pair` as the weight rows
/// of their tensor products.
public struct EdgeInputs<T: TensorScalar> {
    public let sources: [Int32]
    public let destinations: [Int32]
    public let pairs: EdgePairs
    /// `[E, 3]`.
    public let vectors: Variable<T>
    /// `[E, (lmax+1)²]`.
    public let sphericalHarmonics: Variable<T>
    /// `[pairs.count, radial.count]`.
    public let radialEmbedding: Variable<T>

    /// The graph must be valid (`AtomGraph.validate()`).
    public init(graph: AtomGraph, geometry: GraphGeometry<T>, lmax: Int, radial: RadialEmbedding) {
        let exact = graph.edgeVectors
        sources = graph.edgeSource
        destinations = graph.edgeDestination
        pairs = EdgePairs(graph)
        vectors = EdgeGeometry.vectors(positions: geometry.positions, cells: geometry.cells, sources: sources,
                                       destinations: destinations, shifts: graph.edgeShifts, edgeGraph: graph.edgeGraph,
                                       exact: exact)
        sphericalHarmonics = EdgeGeometry.sphericalHarmonics(vectors, exact: exact, lmax: lmax)
        radialEmbedding = EdgeGeometry.radialEmbedding(vectors, exact: exact, rows: pairs.representative,
                                                       basis: radial.basis, envelope: radial.envelope)
    }
}
