import Foundation

/// Rank 0's live progress line: epoch, step, loss, lr, molecules/s, ETA.
/// On a terminal it redraws one line (`\r`); otherwise it prints a line every call.
public struct ProgressLine {
    public let totalSteps: Int
    /// The step the run started (or resumed) at: the ETA extrapolates from the steps since then.
    public let startStep: Int
    public let isTerminal: Bool
    private let start = Date()

    public init(totalSteps: Int, startStep: Int = 0) {
        self.totalSteps = totalSteps
        self.startStep = startStep
        self.isTerminal = isatty(fileno(stdout)) != 0
    }

    public func render(epoch: Int, epochs: Int, step: Int, loss: Double, lr: Double, moleculesPerSecond: Double) -> String {
        let elapsed = Date().timeIntervalSince(start)
        let done = step - startStep
        let remaining = done > 0 ? elapsed / Double(done) * Double(max(totalSteps - step, 0)) : 0
        return String(format: "epoch %d/%d  step %d/%d  loss %.4f  lr %.2e  %.1f mol/s  ETA %@",
                      epoch, epochs, step, totalSteps, loss, lr, moleculesPerSecond, Self.duration(remaining))
    }

    public func show(_ line: String, final: Bool = false) {
        if isTerminal {
            print("\r\u{1B}[2K" + line, terminator: final ? "\n" : "")
        } else {
            print(line)
        }
        fflush(stdout)
    }

    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 3600 ? String(format: "%dh%02dm", t / 3600, (t % 3600) / 60) : String(format: "%dm%02ds", t / 60, t % 60)
    }
}
