import SE3TestSupport
import XCTest

/// `se3 --help` lists every architecture of the registry (read from `Architecture`, not a copy).
final class HelpCLITests: XCTestCase {
    func testHelpListsTheArchitectures() throws {
        let r = try TestEnvironment.runPlain(["--help"])
        XCTAssertEqual(r.status, 0, r.summary)
        XCTAssertTrue(r.stdout.contains("Architectures (model.name in a config):"), r.summary)
        XCTAssertTrue(r.stdout.contains("tfn "), r.summary)
        XCTAssertTrue(r.stdout.contains("Tensor Field Network"), r.summary)
        let bench = try TestEnvironment.runPlain(["bench", "--help"])
        XCTAssertTrue(bench.stdout.contains("neighbor-list"), bench.summary)
    }

    /// `se3 --generate-completion-script bash|zsh|fish` (documented in the README) knows every command.
    func testCompletionScripts() throws {
        for shell in ["bash", "zsh", "fish"] {
            let r = try TestEnvironment.runPlain(["--generate-completion-script", shell])
            XCTAssertEqual(r.status, 0, r.summary)
            for command in ["train", "evaluate", "predict", "plot", "check-equivariance", "prepare"] {
                XCTAssertTrue(r.stdout.contains(command), "\(shell): \(command)\n" + r.summary)
            }
        }
    }
}
