#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Memory use of this process, for benchmark and import summaries.
public enum ProcessMemory {
    /// Peak resident set size in MB (`getrusage`: KiB on Linux, bytes on macOS); NaN if unavailable.
    public static func peakResidentMegabytes() -> Double {
        #if os(Linux)
        let who = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
        let who = RUSAGE_SELF
        #endif
        var usage = rusage()
        guard getrusage(who, &usage) == 0 else { return .nan }
        #if os(Linux)
        return Double(usage.ru_maxrss) / 1024
        #else
        return Double(usage.ru_maxrss) / (1024 * 1024)
        #endif
    }
}
