import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rank 0's output file when every rank predicts a contiguous part of the input: rank 0's own
/// part goes straight into a temporary file next to `path`, the other ranks' parts (arriving one
/// batch per rank at a time) into one spool file per rank; `publish` appends the spools in rank
/// order (= input order), fsyncs and renames the result over `path` (as `AtomicFile`). Memory
/// stays one batch per rank however long the input is; `discard` removes every temporary file.
final class OrderedOutput {
    let path: String
    private let tmp: String
    private var files: [FileHandle?]
    private var paths: [String]

    init(path: String, ranks: Int) throws {
        self.path = path
        tmp = path + ".tmp-\(getpid())"
        paths = (0..<ranks).map { $0 == 0 ? path + ".tmp-\(getpid())" : path + ".rank\($0).tmp-\(getpid())" }
        files = [FileHandle?](repeating: nil, count: ranks)
    }

    /// Appends rank `rank`'s next bytes.
    func append(_ bytes: [UInt8], rank: Int) throws {
        if files[rank] == nil {
            unlink(paths[rank])
            guard FileManager.default.createFile(atPath: paths[rank], contents: nil),
                  let h = FileHandle(forWritingAtPath: paths[rank]) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: paths[rank],
                                                                    NSLocalizedDescriptionKey: "cannot create \(paths[rank])"])
            }
            files[rank] = h
        }
        if !bytes.isEmpty { try files[rank]!.write(contentsOf: bytes) }
    }

    /// Concatenates the parts in rank order and publishes the file atomically.
    func publish() throws {
        try append([], rank: 0)
        let out = files[0]!
        for r in 1..<files.count {
            guard let h = files[r] else { continue }
            try h.close()
            files[r] = nil
            guard let input = FileHandle(forReadingAtPath: paths[r]) else {
                throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: paths[r]])
            }
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try out.write(contentsOf: chunk) }
            try input.close()
            unlink(paths[r])
        }
        try out.synchronize()
        try out.close()
        files[0] = nil
        guard rename(tmp, path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path,
                                                           NSLocalizedDescriptionKey: "rename failed: \(String(cString: strerror(errno)))"])
        }
        let dir = (path as NSString).deletingLastPathComponent
        try? AtomicFile.fsyncPath(dir.isEmpty ? "." : dir, reportedAs: dir.isEmpty ? "." : dir, directory: true)
    }

    /// Removes the temporary files (after an error).
    func discard() {
        for (r, h) in files.enumerated() {
            try? h?.close()
            files[r] = nil
            unlink(paths[r])
        }
    }
}
