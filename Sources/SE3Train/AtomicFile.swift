import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe file replacement: write to `path.tmp-<pid>`, fsync it, rename over `path`,
/// fsync the directory. A reader sees either the old file or the complete new one.
///
/// A failed fsync fails the write: before the rename the temporary file is removed and `path`
/// keeps its old contents; after it (the directory's fsync) the error is thrown all the same, so
/// a caller such as `RunDirectory.publish` does not go on to point `latest` at the new file.
/// Directories on file systems that cannot fsync them (`EINVAL`) are skipped.
public enum AtomicFile {
    /// Test-only fault injection: `SE3_FAULT_FSYNC=<text>` makes the fsync of every file whose
    /// path contains `<text>` fail with `EIO`, as a failing disk would.
    static let faultVariable = "SE3_FAULT_FSYNC"

    /// Runs `write` with a temporary path next to `path`, then publishes it atomically.
    public static func replace(_ path: String, _ write: (String) throws -> Void) throws {
        let tmp = path + ".tmp-\(getpid())"
        unlink(tmp)
        do {
            try write(tmp)
            try fsyncPath(tmp, reportedAs: path)
            guard rename(tmp, path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path,
                                                               NSLocalizedDescriptionKey: "rename failed: \(String(cString: strerror(errno)))"])
            }
        } catch {
            unlink(tmp)
            throw error
        }
        let dir = (path as NSString).deletingLastPathComponent
        try fsyncPath(dir.isEmpty ? "." : dir, reportedAs: dir.isEmpty ? "." : dir, directory: true)
    }

    /// Writes `data` atomically.
    public static func write(_ data: Data, to path: String) throws {
        try replace(path) { tmp in try data.write(to: URL(fileURLWithPath: tmp)) }
    }

    /// fsync of `path`; errors name `reportedAs` (the file being published, not its temporary name).
    static func fsyncPath(_ path: String, reportedAs name: String, directory: Bool = false) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw SyncError(file: name, reason: "cannot open for fsync: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var code: Int32 = fsync(fd) == 0 ? 0 : errno
        if let fault = ProcessInfo.processInfo.environment[faultVariable], !fault.isEmpty, !directory, name.contains(fault) {
            code = EIO
        }
        if code == 0 || (directory && code == EINVAL) { return }
        throw SyncError(file: name, reason: directory
            ? "fsync of the directory failed: \(String(cString: strerror(code))); the new file may not survive a crash"
            : "fsync failed: \(String(cString: strerror(code))); not written, the previous file is kept")
    }

    /// A file (or its directory) could not be flushed to disk.
    public struct SyncError: Error, CustomStringConvertible, Equatable {
        public var file: String
        public var reason: String
        public var description: String { "\(file): \(reason)" }
    }
}
