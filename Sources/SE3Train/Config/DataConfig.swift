import SE3Config

/// The `data:` section of a config. Paths are relative to the working directory.
public struct DataConfig: Codable, Equatable {
    /// Training set: an `.h5` file or a directory of shards.
    public var train: String
    /// Validation set (optional).
    public var val: String?
    /// Structures per rank per step.
    public var batchSize: Int
    /// Optional cap on atoms per batch.
    public var maxAtoms: Int?
    /// Optional cap on edges per batch.
    public var maxEdges: Int?
    /// Shuffle the training set each epoch (deterministic per seed and epoch).
    public var shuffle: Bool

    enum CodingKeys: String, CodingKey, CaseIterable {
        case train, val, batchSize = "batch_size", maxAtoms = "max_atoms", maxEdges = "max_edges", shuffle
    }

    public init(train: String, val: String? = nil, batchSize: Int = 16, maxAtoms: Int? = nil,
                maxEdges: Int? = nil, shuffle: Bool = true) {
        self.train = train; self.val = val; self.batchSize = batchSize
        self.maxAtoms = maxAtoms; self.maxEdges = maxEdges; self.shuffle = shuffle
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        train = try c.decode(String.self, forKey: .train)
        val = try c.decodeIfPresent(String.self, forKey: .val)
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? 16
        maxAtoms = try c.decodeIfPresent(Int.self, forKey: .maxAtoms)
        maxEdges = try c.decodeIfPresent(Int.self, forKey: .maxEdges)
        shuffle = try c.decodeIfPresent(Bool.self, forKey: .shuffle) ?? true
    }

    func validate(file: String) throws {
        guard !train.isEmpty else { throw ConfigError(file: file, key: "data.train", "must name a dataset path") }
        guard batchSize >= 1 else { throw ConfigError(file: file, key: "data.batch_size", "must be >= 1, got \(batchSize)") }
        if let a = maxAtoms, a < 1 { throw ConfigError(file: file, key: "data.max_atoms", "must be >= 1") }
        if let e = maxEdges, e < 1 { throw ConfigError(file: file, key: "data.max_edges", "must be >= 1") }
    }
}
