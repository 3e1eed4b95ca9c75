import SE3Distributed
import XCTest

final class SingleProcessCommunicatorTests: XCTestCase {
    private let comm = SingleProcessCommunicator()

    /// Deterministic, irregular test data (no RNG needed: x_i = sin(1.3 i + seed)·10^(i mod 5)).
    private func data(_ n: Int, seed: Double) -> [Double] {
        (0 ..< n).map { sin(1.3 * Double($0) + seed) * pow(10, Double($0 % 5)) }
    }

    func testRankAndSize() {
        XCTAssertEqual(comm.rank, 0)
        XCTAssertEqual(comm.size, 1)
        XCTAssertTrue(comm.isRoot)
    }

    func testReductionsAreIdentities() throws {
        let original = data(257, seed: 0.5)
        var d = original
        try comm.allreduceSum(&d)
        XCTAssertEqual(d, original)
        try comm.allreduceMax(&d)
        XCTAssertEqual(d, original)
        try d.withUnsafeMutableBufferPointer { try comm.allreduceSum($0) }
        XCTAssertEqual(d, original)

        let originalF = original.map(Float.init)
        var f = originalF
        try comm.allreduceSum(&f)
        XCTAssertEqual(f, originalF)
        try f.withUnsafeMutableBufferPointer { try comm.allreduceSum($0) }
        XCTAssertEqual(f, originalF)
        try comm.allreduceMean(&f)
        XCTAssertEqual(f, originalF)

        var empty: [Double] = []
        try comm.allreduceSum(&empty)
        XCTAssertEqual(empty, [])

        XCTAssertEqual(try comm.allreduceSum(-2.75), -2.75)
        XCTAssertEqual(try comm.allreduceSum(Float(3.5)), 3.5)
        XCTAssertEqual(try comm.allreduceMax(7.25), 7.25)
    }

    func testBroadcastFromRootZeroKeepsBuffers() throws {
        let original = data(33, seed: 2)
        var d = original
        try comm.broadcast(&d, root: 0)
        XCTAssertEqual(d, original)
        var f = original.map(Float.init)
        try comm.broadcast(&f, root: 0)
        XCTAssertEqual(f, original.map(Float.init))
        var bytes: [UInt8] = [0, 255, 7, 42]
        try comm.broadcast(&bytes, root: 0)
        XCTAssertEqual(bytes, [0, 255, 7, 42])
        let text = "config: {lr: 1e-3, ε: \"ü\"}\n"
        XCTAssertEqual(try comm.broadcast(string: text), text)
        XCTAssertEqual(try comm.broadcast(string: ""), "")
    }

    func testBroadcastFromInvalidRootThrows() {
        var d = [1.0, 2.0]
        XCTAssertThrowsError(try comm.broadcast(&d, root: 1)) {
            XCTAssertEqual($0 as? CommunicatorError, .invalidRoot(root: 1, size: 1))
        }
        var f: [Float] = [1]
        XCTAssertThrowsError(try comm.broadcast(&f, root: -1)) {
            XCTAssertEqual($0 as? CommunicatorError, .invalidRoot(root: -1, size: 1))
        }
        XCTAssertThrowsError(try f.withUnsafeMutableBufferPointer { try comm.broadcast($0, root: 2) })
        XCTAssertThrowsError(try comm.broadcast(string: "x", root: 3))
        XCTAssertEqual(d, [1.0, 2.0], "a failed broadcast must not touch the buffer")
    }

    func testAllgatherReturnsOwnValueOnly() throws {
        let v = data(5, seed: 1)
        XCTAssertEqual(try comm.allgather(v), [v])
        XCTAssertEqual(try comm.allgather([]), [[]])
        XCTAssertNoThrow(try comm.barrier())
    }
}
