import Foundation

/// The files of one training run:
///
///     <run>/config.yaml              the resolved configuration (after --set overrides)
///     <run>/metrics.jsonl            one JSON object per log step and per epoch (rank 0)
///     <run>/checkpoints/step-00000120.h5   the last `checkpoint.keep_last` checkpoints
///     <run>/checkpoints/best.h5      the checkpoint with the lowest validation loss
///     <run>/checkpoints/latest       text: the file name of the newest checkpoint
///
/// Every file is published atomically (`AtomicFile.replace`: temporary file, fsync, rename).
public struct RunDirectory: Equatable, Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    public var checkpointsDirectory: String { join(path, "checkpoints") }
    public var metricsPath: String { join(path, "metrics.jsonl") }
    public var configPath: String { join(path, "config.yaml") }
    public var latestPointer: String { join(checkpointsDirectory, "latest") }
    public var bestPath: String { join(checkpointsDirectory, "best.h5") }

    public func checkpointPath(step: Int) -> String {
        join(checkpointsDirectory, String(format: "step-%08d.h5", step))
    }

    /// Creates the run and checkpoint directories.
    public func create() throws {
        do {
            try FileManager.default.createDirectory(atPath: checkpointsDirectory, withIntermediateDirectories: true)
        } catch {
            throw CheckpointError(file: path, field: "run directory", "cannot create: \(error.localizedDescription)")
        }
    }

    /// Step checkpoints present, sorted by step (ascending).
    public func checkpointFiles() -> [(step: Int, path: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: checkpointsDirectory)) ?? []
        return names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("step-"), name.hasSuffix(".h5"),
                  let s = Int(name.dropFirst(5).dropLast(3)) else { return nil }
            return (s, join(checkpointsDirectory, name))
        }.sorted { $0.0 < $1.0 }
    }

    /// The newest checkpoint: the file named by `latest`, else the highest step file.
    public func latestCheckpoint() -> String? {
        if let name = try? String(contentsOfFile: latestPointer, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty {
            let p = join(checkpointsDirectory, name)
            if FileManager.default.fileExists(atPath: p) { return p }
        }
        return checkpointFiles().last?.path
    }

    /// Writes `checkpoint` as `step-<step>.h5` (atomically), points `latest` at it, removes all but
    /// the newest `keepLast` step files, and if `isBest` also writes `best.h5`.
    @discardableResult
    public func publish(_ checkpoint: Checkpoint, keepLast: Int, isBest: Bool) throws -> String {
        let file = checkpointPath(step: checkpoint.step)
        try AtomicFile.replace(file) { try checkpoint.write(to: $0) }
        try AtomicFile.write(Data(((file as NSString).lastPathComponent + "\n").utf8), to: latestPointer)
        if isBest { try AtomicFile.replace(bestPath) { try checkpoint.write(to: $0) } }
        try rotate(keepLast: keepLast)
        return file
    }

    /// Removes all but the newest `keepLast` step checkpoints (never `best.h5`).
    public func rotate(keepLast: Int) throws {
        let files = checkpointFiles()
        guard files.count > keepLast else { return }
        for f in files.prefix(files.count - max(1, keepLast)) { try? FileManager.default.removeItem(atPath: f.path) }
    }

    /// The checkpoint file meant by `--resume PATH`: a checkpoint file, a run directory (its latest
    /// checkpoint) or a run's `checkpoints` directory.
    public static func resolveCheckpoint(_ path: String) throws -> (file: String, run: RunDirectory) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw CheckpointError(file: path, field: "--resume", "no such file or directory")
        }
        if !isDir.boolValue {
            let dir = (path as NSString).deletingLastPathComponent
            let run = (dir as NSString).lastPathComponent == "checkpoints" ? (dir as NSString).deletingLastPathComponent : dir
            return (path, RunDirectory(path: run.isEmpty ? "." : run))
        }
        let run = (path as NSString).lastPathComponent == "checkpoints"
            ? RunDirectory(path: (path as NSString).deletingLastPathComponent) : RunDirectory(path: path)
        guard let file = run.latestCheckpoint() else {
            throw CheckpointError(file: path, field: "checkpoints", "no checkpoint found in \(run.checkpointsDirectory)")
        }
        return (file, run)
    }

    private func join(_ a: String, _ b: String) -> String { (a as NSString).appendingPathComponent(b) }
}
