import SE3Config

/// The `checkpoint:` section.
public struct CheckpointConfig: Codable, Equatable {
    /// Keep this many most recent checkpoints (plus the best one).
    public var keepLast: Int
    /// Write a checkpoint every this many epochs (and at the end, and on SIGTERM/SIGINT).
    public var everyEpochs: Int

    enum CodingKeys: String, CodingKey, CaseIterable { case keepLast = "keep_last", everyEpochs = "every_epochs" }

    public init(keepLast: Int = 3, everyEpochs: Int = 1) { self.keepLast = keepLast; self.everyEpochs = everyEpochs }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        keepLast = try c.decodeIfPresent(Int.self, forKey: .keepLast) ?? 3
        everyEpochs = try c.decodeIfPresent(Int.self, forKey: .everyEpochs) ?? 1
    }

    func validate(file: String) throws {
        guard keepLast >= 1 else { throw ConfigError(file: file, key: "checkpoint.keep_last", "must be >= 1, got \(keepLast)") }
        guard everyEpochs >= 1 else { throw ConfigError(file: file, key: "checkpoint.every_epochs", "must be >= 1, got \(everyEpochs)") }
    }
}
