import Foundation

/// Test-only fault injection from the environment, for the tests that must show what a failing
/// rank does to a job under real `mpirun` (each variable is read once, when a `Trainer` starts):
///
/// - `SE3_FAULT_NAN_GRADIENT=k[,k…][@rank]`: the local gradient is NaN at steps `k` (`Trainer`).
/// - `SE3_FAULT_SLEEP=k:seconds[@rank]`: before the synchronisation of step `k` (1-based, as
///   logged) the rank sleeps, as a rank stuck in I/O or a loop would; the other ranks then wait
///   in the step's allreduce until `distributed.timeout_s`.
/// - `SE3_FAULT_FSYNC=text` (`AtomicFile`): fsync of a file whose path contains `text` fails.
public enum FaultInjection {
    public static let sleepVariable = "SE3_FAULT_SLEEP"

    /// Parses `SE3_FAULT_SLEEP` (`"3:600"` or `"3:600@1"`); nil for other ranks, or when unset or malformed.
    public static func sleep(_ value: String?, rank: Int) -> (step: Int, seconds: Double)? {
        guard let value, !value.isEmpty else { return nil }
        let parts = value.split(separator: "@")
        if parts.count == 2, Int(parts[1]) != rank { return nil }
        let fields = parts[0].split(separator: ":")
        guard fields.count == 2, let step = Int(fields[0]), let seconds = Double(fields[1]), seconds >= 0 else { return nil }
        return (step, seconds)
    }
}
