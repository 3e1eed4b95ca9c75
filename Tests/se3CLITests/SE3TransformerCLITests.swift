import Foundation
import XCTest

/// The SE(3)-Transformer through the same commands as TFN: a real 2-rank training and evaluation.
final class SE3TransformerCLITests: XCTestCase {
    var scratch: URL!

    override func setUp() { scratch = RunFiles.scratch("se3t") }
    override func tearDown() { try? FileManager.default.removeItem(at: scratch) }

    /// `mpirun -np 2 se3 train` of an SE(3)-Transformer: both ranks end with identical
    /// parameters, the loss falls, and `se3 evaluate` (2 ranks and 1) reads the checkpoint.
    func testTwoRankTrainingAndEvaluation() throws {
        let report = try ArchitectureRun.trainEvaluateCheck(config: RunFiles.se3tConfig, overrides: RunFiles.tinySE3T(steps: 60),
                                                            architecture: "se3_transformer",
                                                            run: scratch.appendingPathComponent("run"))
        // the trained model is rotation-equivariant; `symmetry: se3` claims no inversion
        XCTAssertEqual(report["inversion_claimed"] as? Bool, false)
        let rows = try XCTUnwrap(report["rows"] as? [[String: Any]])
        XCTAssertEqual(Set(rows.compactMap { $0["transform"] as? String }), ["rotation", "translation"])
        XCTAssertLessThan(try XCTUnwrap(report["largest"] as? Double), 1e-8)
    }
}
