import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The outcome of a child process run by ``ProcessRunner``.
public struct ProcessResult {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// The process did not finish within the timeout and was killed.
    public var timedOut: Bool
    public var seconds: Double

    /// Everything useful for an assertion message.
    public var summary: String {
        "exit status \(status)\(timedOut ? " (TIMED OUT)" : ""), \(String(format: "%.1f", seconds)) s\n"
            + "--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)"
    }
}

/// Thread-safe byte accumulator for a pipe read on a background queue.
public final class PipeCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private let finished = DispatchSemaphore(value: 0)

    /// Starts reading `pipe` until end of file (readability handler: never blocks the caller,
    /// so a child writing a lot to both stdout and stderr cannot deadlock us).
    public init(_ pipe: Pipe) {
        pipe.fileHandleForReading.readabilityHandler = { [self] handle in
            let chunk = handle.availableData
            if chunk.isEmpty {
                handle.readabilityHandler = nil
                finished.signal()
            } else {
                lock.lock(); data.append(chunk); lock.unlock()
            }
        }
    }

    /// Waits up to `timeout` seconds for end of file; returns what was read so far.
    public func text(waitingUpTo timeout: Double) -> String {
        _ = finished.wait(timeout: .now() + timeout)
        lock.lock(); defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Runs a command with a timeout, capturing stdout and stderr concurrently.
public enum ProcessRunner {
    /// Runs `executable arguments` with `environment` (the full child environment).
    /// If it runs longer than `timeout` seconds it gets SIGTERM, then SIGKILL 5 s later,
    /// and the result has `timedOut == true`.
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String],
                    timeout: Double, currentDirectory: URL? = nil) throws -> ProcessResult {
        let process = Process()
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }

        let start = Date()
        let out = PipeCollector(outPipe)
        let err = PipeCollector(errPipe)
        try process.run()

        var timedOut = false
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            if exited.wait(timeout: .now() + 5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                _ = exited.wait(timeout: .now() + 5)
            }
        }
        // Grandchildren (e.g. orphaned MPI ranks) could keep a pipe open: bound the wait.
        let stdout = out.text(waitingUpTo: 10)
        let stderr = err.text(waitingUpTo: 10)
        let status = process.isRunning ? -1 : process.terminationStatus
        return ProcessResult(status: status, stdout: stdout, stderr: stderr, timedOut: timedOut,
                             seconds: Date().timeIntervalSince(start))
    }
}
