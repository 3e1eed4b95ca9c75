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

    /// Keeps freed memory in the process instead of returning it to the kernel: glibc's
    /// `mallopt(M_MMAP_MAX, 0)` (large blocks come from the heap, not fresh `mmap`s) and
    /// `mallopt(M_TRIM_THRESHOLD, INT_MAX)` (the heap is never trimmed). A training step allocates
    /// and frees the same large per-edge buffers every time; with glibc's defaults each step
    /// page-faults them in again as zero pages (a third of a TFN step on the 2-core test machine),
    /// while the peak resident size is the same either way. Called once at start-up by the
    /// commands that train or evaluate; `SE3_DEFAULT_MALLOC=1` in the environment keeps glibc's
    /// defaults. No-op elsewhere than glibc.
    public static func retainFreedMemory() {
        #if os(Linux)
        if let v = getenv("SE3_DEFAULT_MALLOC"), String(cString: v) == "1" { return }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(sym, to: Mallopt.self)
        let M_TRIM_THRESHOLD: Int32 = -1, M_MMAP_MAX: Int32 = -4
        _ = mallopt(M_MMAP_MAX, 0)
        _ = mallopt(M_TRIM_THRESHOLD, Int32.max)
        #endif
    }
}
