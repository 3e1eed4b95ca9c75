import Foundation

/// Appends one JSON object per line to `metrics.jsonl` in the run directory (rank 0 only).
/// Keys are sorted so lines are stable and diffable.
public final class MetricsLogger {
    public let path: String
    private let handle: FileHandle?

    public init(path: String, enabled: Bool) throws {
        self.path = path
        guard enabled else { handle = nil; return }
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let h = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        h.seekToEndOfFile()
        handle = h
    }

    deinit { try? handle?.close() }

    /// Writes one record. Values must be JSON-serialisable (numbers, strings, bools, arrays, dictionaries).
    public func log(_ record: [String: Any]) {
        guard let handle else { return }
        let clean = record.mapValues { v -> Any in
            if let d = v as? Double, !d.isFinite { return String(d) }
            if let f = v as? Float, !f.isFinite { return String(f) }
            return v
        }
        guard let data = try? JSONSerialization.data(withJSONObject: clean, options: [.sortedKeys]) else { return }
        handle.write(data)
        handle.write(Data("\n".utf8))
    }

    /// Reads every record of a metrics file (for tests and tools).
    public static func read(path: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
    }
}
