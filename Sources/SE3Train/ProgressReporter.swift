import Foundation

/// The progress of a long command (`prepare`, `evaluate`, `predict`) on stderr: on a terminal
/// one line redrawn in place (at most ten times a second) with the count, the rate and the ETA;
/// otherwise (a log file, a pipe) one line each time another tenth of the work is done, so logs
/// stay short. `finish` ends the terminal line.
public final class ProgressReporter {
    public let label: String
    public let noun: String
    public let total: Int
    public let isTerminal: Bool
    private let write: (String) -> Void
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var tenthsShown = 0

    /// - Parameters:
    ///   - label: the command, e.g. "predict".
    ///   - noun: what is counted, e.g. "structures".
    ///   - isTerminal: default: whether stderr is a terminal.
    ///   - write: default: stderr.
    public init(label: String, noun: String, total: Int, isTerminal: Bool? = nil,
                write: ((String) -> Void)? = nil) {
        self.label = label
        self.noun = noun
        self.total = max(0, total)
        self.isTerminal = isTerminal ?? (isatty(fileno(stderr)) != 0)
        self.write = write ?? { FileHandle.standardError.write(Data($0.utf8)) }
    }

    /// A `(done, total)` callback that shows a reporter (made at the first call) and finishes it
    /// when `done` reaches `total`.
    public static func callback(label: String, noun: String) -> (Int, Int) -> Void {
        var reporter: ProgressReporter?
        return { done, total in
            if reporter == nil { reporter = ProgressReporter(label: label, noun: noun, total: total) }
            if done >= total { reporter?.finish(done); reporter = nil } else { reporter?.update(done) }
        }
    }

    /// `done` of `total` are finished.
    public func update(_ done: Int) {
        if isTerminal {
            let now = Date()
            guard now.timeIntervalSince(lastDraw) >= 0.1 || done >= total else { return }
            lastDraw = now
            write("\r\u{1B}[2K" + line(done))
        } else {
            let tenths = total > 0 ? min(10, done * 10 / total) : 10
            guard tenths > tenthsShown else { return }
            tenthsShown = tenths
            write(line(done) + "\n")
        }
    }

    /// Shows the final count and ends the terminal line.
    public func finish(_ done: Int) {
        if isTerminal { write("\r\u{1B}[2K" + line(done) + "\n") } else { update(done) }
    }

    /// `label: done/total noun (p%), r noun/s, ETA t`.
    func line(_ done: Int) -> String {
        let elapsed = max(Date().timeIntervalSince(start), 1e-9)
        let rate = Double(done) / elapsed
        let percent = total > 0 ? 100 * Double(done) / Double(total) : 100
        var s = String(format: "%@: %d/%d %@ (%.0f%%), %.1f %@/s", label, done, total, noun, percent, rate, noun)
        if done < total, rate > 0 { s += ", ETA " + ProgressLine.duration(Double(total - done) / rate) }
        return s
    }
}
