import SE3Config
import SE3Data

/// The `data:` section of a config. Paths are relative to the working directory.
public struct DataConfig: Codable, Equatable {
    /// `data.balance`: what each step's global batch is split over the ranks by (`EpochSampler`'s loads).
    public enum Balance: String, ConfigChoice { case atoms, edges, none }

    /// Training set: an `.h5` file or a directory of shards.
    public var train: String
    /// Validation set (optional).
    public var val: String?
    /// Test set (optional): `se3 train` ends by evaluating the best checkpoint on it.
    public var test: String?
    /// Structures per rank per step.
    public var batchSize: Int
    /// Optional cap on atoms per batch.
    public var maxAtoms: Int?
    /// Optional cap on edges per batch.
    public var maxEdges: Int?
    /// Shuffle the training set each epoch (deterministic per seed and epoch).
    public var shuffle: Bool
    /// A structure with two atoms closer than this (Å) is an error (0: no check).
    public var minDistance: Double
    /// Optional bounds on one structure: an error, not a batch of its own.
    public var maxAtomsPerStructure: Int?
    public var maxEdgesPerStructure: Int?
    /// Split each step's global batch so ranks get similar atom or edge counts (default `none`).
    public var balance: Balance

    enum CodingKeys: String, CodingKey, CaseIterable {
        case train, val, test, batchSize = "batch_size", maxAtoms = "max_atoms", maxEdges = "max_edges", shuffle
        case minDistance = "min_distance", maxAtomsPerStructure = "max_atoms_per_structure"
        case maxEdgesPerStructure = "max_edges_per_structure", balance
    }

    public init(train: String, val: String? = nil, batchSize: Int = 16, maxAtoms: Int? = nil,
                maxEdges: Int? = nil, shuffle: Bool = true, minDistance: Double = 0.1,
                maxAtomsPerStructure: Int? = nil, maxEdgesPerStructure: Int? = nil, test: String? = nil,
                balance: Balance = .none) {
        self.train = train; self.val = val; self.test = test; self.batchSize = batchSize
        self.maxAtoms = maxAtoms; self.maxEdges = maxEdges; self.shuffle = shuffle
        self.minDistance = minDistance; self.maxAtomsPerStructure = maxAtomsPerStructure
        self.maxEdgesPerStructure = maxEdgesPerStructure
        self.balance = balance
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        train = try c.decode(String.self, forKey: .train)
        val = try c.decodeIfPresent(String.self, forKey: .val)
        test = try c.decodeIfPresent(String.self, forKey: .test)
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? 16
        maxAtoms = try c.decodeIfPresent(Int.self, forKey: .maxAtoms)
        maxEdges = try c.decodeIfPresent(Int.self, forKey: .maxEdges)
        shuffle = try c.decodeIfPresent(Bool.self, forKey: .shuffle) ?? true
        minDistance = try c.decodeIfPresent(Double.self, forKey: .minDistance) ?? 0.1
        maxAtomsPerStructure = try c.decodeIfPresent(Int.self, forKey: .maxAtomsPerStructure)
        maxEdgesPerStructure = try c.decodeIfPresent(Int.self, forKey: .maxEdgesPerStructure)
        balance = try c.decodeIfPresent(Balance.self, forKey: .balance) ?? .none
    }

    func validate(file: String) throws {
        guard !train.isEmpty else { throw ConfigError(file: file, key: "data.train", "must name a dataset path") }
        if let t = test, t.isEmpty { throw ConfigError(file: file, key: "data.test", "must name a dataset path (or be left out)") }
        guard batchSize >= 1 else { throw ConfigError(file: file, key: "data.batch_size", "must be >= 1, got \(batchSize)") }
        if let a = maxAtoms, a < 1 { throw ConfigError(file: file, key: "data.max_atoms", "must be >= 1") }
        if let e = maxEdges, e < 1 { throw ConfigError(file: file, key: "data.max_edges", "must be >= 1") }
        guard minDistance >= 0, minDistance.isFinite else {
            throw ConfigError(file: file, key: "data.min_distance", "must be a length >= 0 in Å (0: no check), got \(minDistance)")
        }
        if let a = maxAtomsPerStructure, a < 1 { throw ConfigError(file: file, key: "data.max_atoms_per_structure", "must be >= 1") }
        if let e = maxEdgesPerStructure, e < 1 { throw ConfigError(file: file, key: "data.max_edges_per_structure", "must be >= 1") }
    }
}

extension TrainConfig {
    /// The radius graph of the model (`cutoff`, `max_neighbors`) with the structure checks of
    /// `data:` (`min_distance`, `max_atoms_per_structure`, `max_edges_per_structure`).
    public var neighborList: NeighborList {
        NeighborList(cutoff: model.common.cutoff, maxNeighbors: model.common.maxNeighbors,
                     minDistance: data.minDistance > 0 ? data.minDistance : nil,
                     maxAtoms: data.maxAtomsPerStructure, maxEdges: data.maxEdgesPerStructure)
    }
}
