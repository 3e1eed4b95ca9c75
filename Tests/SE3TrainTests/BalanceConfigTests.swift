import SE3Config
import SE3Data
import SE3Distributed
import SE3Train
import XCTest

/// `data.balance` (the key) and the loads it balances by (`BalanceLoads`).
final class BalanceConfigTests: XCTestCase {
    let minimal = """
    model: {name: tfn}
    data: {train: x}
    targets: [{name: homo}]
    training: {epochs: 2}
    """

    func testBalanceKeyDecodesAndRoundTrips() throws {
        XCTAssertEqual(try TrainConfig.parse(yaml: minimal, file: "m.yaml").data.balance, DataConfig.Balance.none)
        for value in ["atoms", "edges", "none"] {
            let c = try TrainConfig.parse(yaml: minimal, file: "m.yaml", overrides: ["data.balance=\(value)"])
            XCTAssertEqual(c.data.balance.rawValue, value)
            XCTAssertEqual(try TrainConfig.parse(yaml: try c.yaml(), file: "again.yaml"), c)
        }
        XCTAssertThrowsError(try TrainConfig.parse(yaml: minimal, file: "m.yaml", overrides: ["data.balance=atom"])) { e in
            XCTAssertEqual("\(e)", "m.yaml: data.balance: must be one of 'atoms', 'edges', 'none'; got 'atom'; did you mean 'atoms'? (from --set data.balance=atom)")
        }
    }

    /// Edge loads are the model's radius graph of every structure; one rank has nothing to balance.
    func testEdgeLoadsCountTheRadiusGraph() throws {
        let dir = TestData.scratch("balance")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let structures = TestData.structures(count: 40, seed: 4)
        let train = try Dataset(path: try TestData.write(structures, to: dir + "/train", shards: 3))
        let list = NeighborList(cutoff: 2.5)
        let loads = try BalanceLoads.edges(train, neighborList: list, comm: SingleProcessCommunicator())
        XCTAssertEqual(loads.kind, .edges)
        let expected = try train.read(0..<train.count).map { try list.edges(for: $0).count }
        XCTAssertEqual(loads.values.flatMap { $0 }, expected)
        XCTAssertGreaterThan(Set(expected).count, 1)
        for balance in DataConfig.Balance.allCases {
            XCTAssertNil(try BalanceLoads.make(balance, train: train, neighborList: list, comm: SingleProcessCommunicator()))
        }
    }
}
