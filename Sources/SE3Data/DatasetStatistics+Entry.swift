extension DatasetStatistics {
    /// How a target's mean/std are meant to be applied.
    public enum Normalization: String, Sendable, Equatable {
        /// One value per structure.
        case perGraph = "per_graph"
        /// Per atom: atom targets, and the per-atom residual of extensive targets.
        case perAtom = "per_atom"
    }

    /// Statistics of one target (definitions in `DatasetStatistics`).
    public struct Entry: Equatable, Sendable {
        public var mean: Double
        public var std: Double
        /// Least-squares element references `r_Z`, 119 values indexed by Z (index 0 unused,
        /// 0 for absent elements); only for extensive targets.
        public var elementReferences: [Double]?
        public var normalization: Normalization
        /// Number of values averaged (graphs, or atoms for atom targets).
        public var count: Int

        public var isExtensive: Bool { elementReferences != nil }

        public init(mean: Double, std: Double, elementReferences: [Double]? = nil, normalization: Normalization, count: Int) {
            self.mean = mean
            self.std = std
            self.elementReferences = elementReferences
            self.normalization = normalization
            self.count = count
        }
    }
}
