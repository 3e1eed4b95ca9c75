import Foundation

/// Appends one JSON object per line to `metrics.jsonl` in the run directory (rank 0 only).
/// Keys are sorted so lines are stable and diffable.
public final class MetricsLogger {
    public let path: String
    private let handle: FileHandle?

    public init(path: String, enabled: Bool) throws {
        self.path = path
        guard enabled else { handle = nil; return }
        if !FileManager.default.fileExists(atPath: path), !FileManager.default.createFile(atPath: path, contents: nil) {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
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
        guard let data = Self.line(record) else { return }
        handle.write(data)
        handle.write(Data("\n".utf8))
    }

    /// One JSON line (sorted keys) for `record`; non-finite numbers, at any depth, become strings
    /// ("nan", "inf", "-inf") because JSON has no spelling for them.
    public static func line(_ record: [String: Any]) -> Data? {
        try? JSONSerialization.data(withJSONObject: sanitize(record), options: [.sortedKeys])
    }

    static func sanitize(_ v: Any) -> Any {
        if let d = v as? Double { return d.isFinite ? d : String(d) }
        if let f = v as? Float { return f.isFinite ? Double(f) : String(f) }
        if let dict = v as? [String: Any] { return dict.mapValues { sanitize($0) } }
        if let array = v as? [Any] { return array.map { sanitize($0) } }
        return v
    }

    /// Reads every record of a metrics file (for tests and tools).
    public static func read(path: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
    }
}
