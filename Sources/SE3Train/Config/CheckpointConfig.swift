import SE3Config

/// The `checkpoint:` section.
public struct CheckpointConfig: Codable, Equatable {
    /// Keep this many most recent checkpoints (plus the best one).
    public var keepLast: Int
    /// Write a checkpoint every this many epochs (and at the end, and on SIGTERM/SIGINT).
    public var everyEpochs: Int
    /// Also write one when this many steps have passed since the last checkpoint (unset: never).
    public var everySteps: Int?
    /// Also write one when this many minutes have passed since the last checkpoint (unset: never).
    public var everyMinutes: Double?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case keepLast = "keep_last", everyEpochs = "every_epochs", everySteps = "every_steps", everyMinutes = "every_minutes"
    }

    public init(keepLast: Int = 3, everyEpochs: Int = 1, everySteps: Int? = nil, everyMinutes: Double? = nil) {
        self.keepLast = keepLast; self.everyEpochs = everyEpochs; self.everySteps = everySteps; self.everyMinutes = everyMinutes
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        keepLast = try c.decodeIfPresent(Int.self, forKey: .keepLast) ?? 3
        everyEpochs = try c.decodeIfPresent(Int.self, forKey: .everyEpochs) ?? 1
        everySteps = try c.decodeIfPresent(Int.self, forKey: .everySteps)
        everyMinutes = try c.decodeIfPresent(Double.self, forKey: .everyMinutes)
    }

    func validate(file: String) throws {
        guard keepLast >= 1 else { throw ConfigError(file: file, key: "checkpoint.keep_last", "must be >= 1, got \(keepLast)") }
        guard everyEpochs >= 1 else { throw ConfigError(file: file, key: "checkpoint.every_epochs", "must be >= 1, got \(everyEpochs)") }
        if let s = everySteps, s < 1 { throw ConfigError(file: file, key: "checkpoint.every_steps", "must be >= 1, got \(s)") }
        if let m = everyMinutes, !(m > 0 && m.isFinite) {
            throw ConfigError(file: file, key: "checkpoint.every_minutes", "must be a positive number of minutes, got \(m)")
        }
    }
}
