import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe file replacement: write to `path.tmp-<pid>`, fsync it, rename over `path`,
/// fsync the directory. A reader sees either the old file or the complete new one.
public enum AtomicFile {
    /// Runs `write` with a temporary path next to `path`, then publishes it atomically.
    public static func replace(_ path: String, _ write: (String) throws -> Void) throws {
        let tmp = path + ".tmp-\(getpid())"
        unlink(tmp)
        do {
            try write(tmp)
            try fsyncPath(tmp)
            guard rename(tmp, path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path,
                                                               NSLocalizedDescriptionKey: "rename failed: \(String(cString: strerror(errno)))"])
            }
            try? fsyncPath((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent)
        } catch {
            unlink(tmp)
            throw error
        }
    }

    /// Writes `data` atomically.
    public static func write(_ data: Data, to path: String) throws {
        try replace(path) { tmp in try data.write(to: URL(fileURLWithPath: tmp)) }
    }

    static func fsyncPath(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(fd) }
        _ = fsync(fd)
    }
}
