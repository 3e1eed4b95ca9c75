/// Builds `GraphBatch`es from structures: computes each structure's radius graph with
/// `neighborList` and concatenates.
///
/// Splitting (`split` / `batches`): structures are taken in order and added to the current
/// batch while it stays within every cap (`maxStructures`, `maxAtoms`, `maxEdges`; nil =
/// no cap); when the next structure would exceed a cap, the current batch is closed and a
/// new one starts. A structure that alone exceeds a cap forms a batch of its own (never
/// dropped, never an error, no warning), so the result is a deterministic function of the
/// input order and the caps. Every structure appears in exactly one batch.
public struct BatchBuilder: Equatable, Sendable {
    public var neighborList: NeighborList
    public var maxStructures: Int?
    public var maxAtoms: Int?
    public var maxEdges: Int?

    public init(cutoff: Double, maxNeighbors: Int? = nil, maxStructures: Int? = nil,
                maxAtoms: Int? = nil, maxEdges: Int? = nil) {
        self.init(neighborList: NeighborList(cutoff: cutoff, maxNeighbors: maxNeighbors), maxStructures: maxStructures,
                  maxAtoms: maxAtoms, maxEdges: maxEdges)
    }

    /// With a neighbour list that also checks each structure (`NeighborList.minDistance`, …).
    public init(neighborList: NeighborList, maxStructures: Int? = nil, maxAtoms: Int? = nil, maxEdges: Int? = nil) {
        self.neighborList = neighborList
        self.maxStructures = maxStructures
        self.maxAtoms = maxAtoms
        self.maxEdges = maxEdges
    }

    /// One batch holding all `structures` (caps are not applied). Errors about structure `k`
    /// name `labels[k]` when given (e.g. its shard file and row), else `context` and its id.
    public func build(_ structures: [Structure], context: String = "batch", labels: [String]? = nil) throws -> GraphBatch {
        var graphs: [(Structure, GraphEdges)] = []
        graphs.reserveCapacity(structures.count)
        for (k, s) in structures.enumerated() {
            let label = labels.flatMap { k < $0.count ? $0[k] : nil } ?? "\(context), structure \(s.id.map(String.init) ?? "#\(k)")"
            graphs.append((s, try neighborList.edges(for: s, context: label)))
        }
        return try GraphBatch(graphs: graphs, context: context)
    }

    /// Structures split into batches that respect the caps (see the type's documentation);
    /// `labels` as in `build`.
    public func batches(_ structures: [Structure], context: String = "batch", labels: [String]? = nil) throws -> [GraphBatch] {
        var out: [GraphBatch] = []
        var current: [(Structure, GraphEdges)] = []
        var atoms = 0, edges = 0
        for (k, s) in structures.enumerated() {
            let label = labels.flatMap { k < $0.count ? $0[k] : nil } ?? "\(context), structure \(s.id.map(String.init) ?? "#\(k)")"
            let e = try neighborList.edges(for: s, context: label)
            let fits = (maxStructures.map { current.count + 1 <= $0 } ?? true)
                && (maxAtoms.map { atoms + s.atomCount <= $0 } ?? true)
                && (maxEdges.map { edges + e.count <= $0 } ?? true)
            if !fits && !current.isEmpty {
                out.append(try GraphBatch(graphs: current, context: context))
                current.removeAll(keepingCapacity: true)
                atoms = 0
                edges = 0
            }
            current.append((s, e))
            atoms += s.atomCount
            edges += e.count
        }
        if !current.isEmpty { out.append(try GraphBatch(graphs: current, context: context)) }
        return out
    }
}
