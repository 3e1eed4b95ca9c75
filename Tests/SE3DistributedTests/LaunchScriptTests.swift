import Foundation
import SE3TestSupport
import XCTest

/// `launch/mpirun.sh` end to end, with a stand-in for `se3` that reports what each rank received.
final class LaunchScriptTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("se3-launch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    private var script: URL { TestEnvironment.packageRoot.appendingPathComponent("launch/mpirun.sh") }

    /// The launcher's environment: no launcher variables and, deliberately, no
    /// OMPI_ALLOW_RUN_AS_ROOT* (the script must add them itself when run as root).
    private func launcherEnvironment(fakeBinary: URL) -> [String: String] {
        var env = TestEnvironment.childEnvironment()
        env.removeValue(forKey: "OMPI_ALLOW_RUN_AS_ROOT")
        env.removeValue(forKey: "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM")
        env.removeValue(forKey: "OPENBLAS_NUM_THREADS")
        env["SE3_BINARY"] = fakeBinary.path
        return env
    }

    func testRunsTrainOnEveryRankWithSingleThreadedBLAS() throws {
        let fake = scratch.appendingPathComponent("fake-se3")
        try """
        #!/bin/sh
        echo "rank=$OMPI_COMM_WORLD_RANK size=$OMPI_COMM_WORLD_SIZE blas=$OPENBLAS_NUM_THREADS args=$*"
        """.write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let config = scratch.appendingPathComponent("config.yaml")
        try "model: tfn\n".write(to: config, atomically: true, encoding: .utf8)

        // 3 ranks: more than the 2 cores of the reference machine, so --oversubscribe is needed there.
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/bin/bash"),
                                           [script.path, "3", config.path, "--epochs", "1"],
                                           environment: launcherEnvironment(fakeBinary: fake), timeout: 60)
        XCTAssertFalse(result.timedOut, result.summary)
        XCTAssertEqual(result.status, 0, result.summary)
        let lines = result.stdout.split(separator: "\n").filter { $0.hasPrefix("rank=") }.map(String.init)
        XCTAssertEqual(Set(lines), Set((0 ..< 3).map {
            "rank=\($0) size=3 blas=1 args=train --config \(config.path) --epochs 1"
        }), result.summary)
    }

    func testRejectsBadArguments() throws {
        let env = launcherEnvironment(fakeBinary: URL(fileURLWithPath: "/bin/true"))
        let config = scratch.appendingPathComponent("c.yaml")
        try "x: 1\n".write(to: config, atomically: true, encoding: .utf8)
        let badNP = try ProcessRunner.run(URL(fileURLWithPath: "/bin/bash"), [script.path, "zero", config.path],
                                          environment: env, timeout: 30)
        XCTAssertEqual(badNP.status, 2, badNP.summary)
        XCTAssertTrue(badNP.stderr.contains("NP must be a positive integer"), badNP.summary)
        let missing = scratch.appendingPathComponent("missing.yaml").path
        let badConfig = try ProcessRunner.run(URL(fileURLWithPath: "/bin/bash"), [script.path, "2", missing],
                                              environment: env, timeout: 30)
        XCTAssertEqual(badConfig.status, 2, badConfig.summary)
        XCTAssertTrue(badConfig.stderr.contains("config file '\(missing)' not found"), badConfig.summary)
    }
}
