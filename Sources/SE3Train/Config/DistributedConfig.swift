import SE3Config
import SE3Distributed

/// The `distributed:` section: how ranks stay in agreement.
///
/// `sync: gradients` (default): every step the gradient buffer is allreduced, weighted by each rank's
/// number of structures, so the update equals the gradient of the mean loss over the global batch.
/// `sync: parameters`: ranks step independently and average parameters every `average_every` steps
/// (periodic model averaging). `timeout_s`: how long a rank waits in one collective for the others
/// before it aborts the job (a hung rank must not block the rest forever).
public struct DistributedConfig: Codable, Equatable {
    /// `distributed.sync`.
    public enum Sync: String, ConfigChoice { case gradients, parameters }

    public var sync: Sync
    public var averageEvery: Int
    /// `distributed.timeout_s`: seconds (default 1800).
    public var timeoutSeconds: Double

    enum CodingKeys: String, CodingKey, CaseIterable {
        case sync, averageEvery = "average_every", timeoutSeconds = "timeout_s"
    }

    public init(sync: Sync = .gradients, averageEvery: Int = 1, timeoutSeconds: Double = MPICommunicator.defaultTimeout) {
        self.sync = sync; self.averageEvery = averageEvery; self.timeoutSeconds = timeoutSeconds
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sync = try c.decodeIfPresent(Sync.self, forKey: .sync) ?? .gradients
        averageEvery = try c.decodeIfPresent(Int.self, forKey: .averageEvery) ?? 1
        timeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds) ?? MPICommunicator.defaultTimeout
    }

    func validate(file: String) throws {
        guard averageEvery >= 1 else { throw ConfigError(file: file, key: "distributed.average_every", "must be >= 1, got \(averageEvery)") }
        guard timeoutSeconds >= 1, timeoutSeconds <= 1e7 else {
            throw ConfigError(file: file, key: "distributed.timeout_s", "must be between 1 and 10000000 seconds, got \(timeoutSeconds)")
        }
    }
}
