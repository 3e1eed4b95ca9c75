#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Set by SIGTERM / SIGINT. The trainer polls it at each step (each rank's flag travels in that
/// step's gradient allreduce, summed, so every rank stops at the same step), writes a checkpoint
/// and exits 0.
nonisolated(unsafe) private var stopFlag: sig_atomic_t = 0

public enum StopSignal {
    /// Installs handlers for SIGTERM and SIGINT that only set a flag; a second signal while the
    /// first is still being honoured exits immediately (status 128 + signal, no checkpoint).
    public static func install() {
        signal(SIGTERM) { s in if stopFlag != 0 { _exit(128 + s) }; stopFlag = 1 }
        signal(SIGINT) { s in if stopFlag != 0 { _exit(128 + s) }; stopFlag = 1 }
    }

    /// True once SIGTERM or SIGINT has been received.
    public static var requested: Bool { stopFlag != 0 }

    /// For tests: set or clear the flag.
    public static func set(_ value: Bool) { stopFlag = value ? 1 : 0 }
}
