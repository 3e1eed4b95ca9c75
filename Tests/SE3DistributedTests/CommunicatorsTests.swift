import Foundation
import SE3Distributed
import XCTest

final class CommunicatorsTests: XCTestCase {
    func testLaunchDetection() {
        XCTAssertFalse(Communicators.isLaunchedByMPI(environment: [:]))
        XCTAssertFalse(Communicators.isLaunchedByMPI(environment: ["PATH": "/usr/bin", "OMPI_MCA_btl": "self"]))
        for variable in ["OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK", "PMIX_RANK"] {
            XCTAssertTrue(Communicators.isLaunchedByMPI(environment: [variable: "0"]), variable)
        }
    }

    func testChildEnvironmentStripsLauncherVariables() {
        let parent = [
            "PATH": "/usr/bin", "HOME": "/root", "OPENBLAS_NUM_THREADS": "1",
            "OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "2", "OMPI_MCA_orte_hnp_uri": "x",
            "PMIX_RANK": "1", "PMIX_NAMESPACE": "ns", "ORTE_SOMETHING": "y", "OPAL_PREFIX": "/usr",
            "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
            "MY_OMPI_NOTE": "kept: prefix only counts at the start",
        ]
        let child = Communicators.childEnvironment(from: parent)
        XCTAssertEqual(child, [
            "PATH": "/usr/bin", "HOME": "/root", "OPENBLAS_NUM_THREADS": "1",
            "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
            "MY_OMPI_NOTE": "kept: prefix only counts at the start",
        ])
        XCTAssertFalse(Communicators.isLaunchedByMPI(environment: child))
    }

    func testAutomaticSelectionWithoutMPI() throws {
        XCTAssertTrue(try Communicators.makeAutomatic(environment: [:]) is SingleProcessCommunicator)
        XCTAssertTrue(try Communicators.makeAutomatic(environment: ["SE3_DISTRIBUTED": "auto"]) is SingleProcessCommunicator)
        // The override wins over launcher variables, so MPI is never initialized here.
        let forcedSingle = try Communicators.makeAutomatic(environment: ["SE3_DISTRIBUTED": "single", "PMIX_RANK": "0"])
        XCTAssertTrue(forcedSingle is SingleProcessCommunicator)
        XCTAssertThrowsError(try Communicators.makeAutomatic(environment: ["SE3_DISTRIBUTED": "sometimes"])) {
            XCTAssertEqual($0 as? CommunicatorError,
                           .invalidEnvironment(variable: "SE3_DISTRIBUTED", value: "sometimes",
                                               expected: "auto, single or mpi"))
            XCTAssertTrue(String(describing: $0).contains("SE3_DISTRIBUTED"))
        }
    }

    private struct Described: Error, CustomStringConvertible { var description: String { "described failure" } }
    private struct Localized: LocalizedError { var errorDescription: String? { "localized failure" } }

    func testRankGuardPassesValuesAndDescribesErrors() {
        let comm = SingleProcessCommunicator()
        XCTAssertEqual(runRankGuarded(comm) { 6 * 7 }, 42)
        XCTAssertEqual(describeError(Described()), "described failure")
        XCTAssertEqual(describeError(Localized()), "localized failure")
        XCTAssertEqual(describeError(CommunicatorError.invalidRoot(root: 4, size: 2)),
                       "invalid broadcast root 4 for a communicator of size 2 (expected 0..<2)")
        XCTAssertTrue(MPIError(operation: "MPI_Bcast", code: 5, message: "invalid count").description
            .contains("MPI_Bcast failed (MPI error 5): invalid count"))
    }
}
