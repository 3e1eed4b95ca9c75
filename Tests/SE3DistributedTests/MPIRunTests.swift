import Foundation
import SE3TestSupport
import XCTest

/// Real multi-process runs: `mpirun -np N se3 mpi-selftest` with the built release binary.
final class MPIRunTests: XCTestCase {
    /// Asserts one ok report per rank 0..<size, each matching the closed-form checksums.
    private func assertAllRanksOK(_ result: ProcessResult, size: Int, count: Int,
                                  file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(result.timedOut, result.summary, file: file, line: line)
        XCTAssertEqual(result.status, 0, result.summary, file: file, line: line)
        let reports = SelfTestExpectation.reports(in: result.stdout)
        XCTAssertEqual(reports.count, size, result.summary, file: file, line: line)
        XCTAssertEqual(Set(reports.compactMap { $0["rank"] as? Int }), Set(0 ..< size), result.summary,
                       file: file, line: line)
        let expected = SelfTestExpectation(count: count, size: size)
        for report in reports {
            let rank = report["rank"] as? Int ?? -1
            XCTAssertEqual(report["ok"] as? Bool, true, "rank \(rank): \(report)", file: file, line: line)
            XCTAssertEqual(report["size"] as? Int, size, file: file, line: line)
            XCTAssertEqual(report["count"] as? Int, count, file: file, line: line)
            XCTAssertEqual(report["checks"] as? Int, 12, "every check ran", file: file, line: line)
            XCTAssertEqual(report["failures"] as? [String], [], file: file, line: line)
            XCTAssertEqual(report["floatSum"] as? Double, expected.floatSum, "rank \(rank)", file: file, line: line)
            XCTAssertEqual(report["doubleSum"] as? Double, expected.doubleSum, "rank \(rank)", file: file, line: line)
            XCTAssertEqual(report["doubleMax"] as? Double, expected.doubleMax, "rank \(rank)", file: file, line: line)
            XCTAssertEqual(report["gathered"] as? Int, expected.gathered, "rank \(rank)", file: file, line: line)
            XCTAssertEqual(report["broadcast"] as? String, expected.broadcast, "rank \(rank)", file: file, line: line)
        }
    }

    func testTwoRanksAgreeOnEveryCollective() throws {
        let result = try TestEnvironment.runUnderMPI(np: 2, ["mpi-selftest", "--count", "1000"])
        assertAllRanksOK(result, size: 2, count: 1000)
    }

    func testThreeRanksOversubscribedWithBucketedTransfers() throws {
        // 3 ranks on 2 cores needs --oversubscribe; --bucket 7 splits every buffer into many MPI calls.
        let result = try TestEnvironment.runUnderMPI(np: 3, ["mpi-selftest", "--count", "100", "--bucket", "7"])
        assertAllRanksOK(result, size: 3, count: 100)
    }

    func testFailingRankAbortsWholeJobWithItsMessage() throws {
        // Rank 1 throws after the first collective while rank 0 waits in the second one:
        // the job must end (MPI_Abort), non-zero, with rank 1's message — not hang.
        let result = try TestEnvironment.runUnderMPI(np: 2, ["mpi-selftest", "--fail-rank", "1"], timeout: 60)
        XCTAssertFalse(result.timedOut, "job hung after a rank failed\n" + result.summary)
        XCTAssertNotEqual(result.status, 0, result.summary)
        XCTAssertTrue(result.stderr.contains("se3: rank 1: mpi-selftest: injected failure on rank 1"), result.summary)
        XCTAssertFalse(result.stdout.contains("\"ok\":true"), result.summary)
    }

    func testFailingRootRankAbortsWholeJob() throws {
        let result = try TestEnvironment.runUnderMPI(np: 2, ["mpi-selftest", "--fail-rank", "0", "--count", "10"],
                                                     timeout: 60)
        XCTAssertFalse(result.timedOut, "job hung after rank 0 failed\n" + result.summary)
        XCTAssertNotEqual(result.status, 0, result.summary)
        XCTAssertTrue(result.stderr.contains("se3: rank 0: mpi-selftest: injected failure on rank 0"), result.summary)
    }

    func testPlainRunIsSingleProcess() throws {
        // No launcher variables: the binary must not touch MPI and report rank 0 of 1.
        let result = try TestEnvironment.runPlain(["mpi-selftest", "--count", "64"])
        assertAllRanksOK(result, size: 1, count: 64)
    }

    func testPlainRunFailureExitsWithMessage() throws {
        let result = try TestEnvironment.runPlain(["mpi-selftest", "--fail-rank", "0"])
        XCTAssertFalse(result.timedOut, result.summary)
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertTrue(result.stderr.contains("se3: mpi-selftest: injected failure on rank 0"), result.summary)
    }
}
