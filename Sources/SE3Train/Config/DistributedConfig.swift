import SE3Config

/// The `distributed:` section: how ranks stay in agreement.
///
/// `sync: gradients` (default): every step the gradient buffer is allreduced, weighted by each rank's
/// number of structures, so the update equals the gradient of the mean loss over the global batch.
/// `sync: parameters`: ranks step independently and average parameters every `average_every` steps
/// (periodic model averaging).
public struct DistributedConfig: Codable, Equatable {
    /// `distributed.sync`.
    public enum Sync: String, ConfigChoice { case gradients, parameters }

    public var sync: Sync
    public var averageEvery: Int

    enum CodingKeys: String, CodingKey, CaseIterable { case sync, averageEvery = "average_every" }

    public init(sync: Sync = .gradients, averageEvery: Int = 1) { self.sync = sync; self.averageEvery = averageEvery }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sync = try c.decodeIfPresent(Sync.self, forKey: .sync) ?? .gradients
        averageEvery = try c.decodeIfPresent(Int.self, forKey: .averageEvery) ?? 1
    }

    func validate(file: String) throws {
        guard averageEvery >= 1 else { throw ConfigError(file: file, key: "distributed.average_every", "must be >= 1, got \(averageEvery)") }
    }
}
