import Foundation
import XCTest

/// eSCN through the same commands as TFN: a real 2-rank training, evaluation and symmetry check.
final class ESCNCLITests: XCTestCase {
    var scratch: URL!

    override func setUp() { scratch = RunFiles.scratch("escn") }
    override func tearDown() { try? FileManager.default.removeItem(at: scratch) }

    /// `mpirun -np 2 se3 train` of an eSCN: both ranks end with identical parameters, the loss
    /// falls, `se3 evaluate` (2 ranks and 1) reads the checkpoint, and `se3 check-equivariance`
    /// finds the trained model rotation-invariant to the accuracy of its default sphere grids.
    func testTwoRankTrainingAndEvaluation() throws {
        let report = try ArchitectureRun.trainEvaluateCheck(config: RunFiles.escnConfig, overrides: RunFiles.tinyESCN(steps: 60),
                                                            architecture: "escn", run: scratch.appendingPathComponent("run"))
        // eSCN is SE(3)- (not E(3)-) equivariant; with fairchem-sized grids the S² activation is
        // sampled, not integrated exactly, so rotations leave a small, non-zero error
        XCTAssertEqual(report["inversion_claimed"] as? Bool, false)
        let rows = try XCTUnwrap(report["rows"] as? [[String: Any]])
        XCTAssertEqual(Set(rows.compactMap { $0["transform"] as? String }), ["rotation", "translation"])
        func error(_ t: String) -> Double? { rows.first { $0["transform"] as? String == t }?["error"] as? Double }
        XCTAssertLessThan(try XCTUnwrap(error("translation")), 1e-10, "\(report)")
        XCTAssertLessThan(try XCTUnwrap(error("rotation")), 5e-2, "\(report)")
        XCTAssertEqual(report["tolerance"] as? Double, 5e-2, "the architecture's own tolerance is the default")
    }
}
