import Foundation
import XCTest
import SE3Data
import SE3HDF5
import SE3Math

final class DatasetFormatTests: XCTestCase {
    var dir = ""
    override func setUpWithError() throws { dir = try DatasetTestSupport.temporaryDirectory() }
    override func tearDown() { DatasetTestSupport.remove(dir) }

    func testRoundTripExactWithCellsVectorsRank2AndAtomTargets() throws {
        let structures = DatasetFixtures.randomStructures(53, seed: 1)
        let path = try DatasetFixtures.write(structures, to: dir + "/a.h5")
        let shard = try DatasetShard(path: path)
        XCTAssertEqual(shard.count, 53)
        XCTAssertEqual(shard.atomCount, structures.reduce(0) { $0 + $1.atomCount })
        XCTAssertTrue(shard.hasIDs)
        XCTAssertTrue(shard.hasCell)
        XCTAssertEqual(Set(shard.targets.map(\.name)), Set(DatasetFixtures.targets.map(\.name)))
        for t in DatasetFixtures.targets {
            XCTAssertEqual(shard.targets.first { $0.name == t.name }, t)
        }
        XCTAssertEqual(try shard.read(0..<53), structures)
        // Lazy range reads at chunk boundaries and inside chunks.
        for r in [0..<1, 6..<8, 7..<14, 20..<53, 52..<53, 10..<10] {
            XCTAssertEqual(try shard.read(r), Array(structures[r]), "range \(r)")
        }
        var offset = 0
        for (g, s) in structures.enumerated() {
            XCTAssertEqual(shard.atomRange(of: g), offset..<(offset + s.atomCount))
            offset += s.atomCount
        }
        assertThrowsMentioning([path, "out of bounds"]) { try shard.read(50..<54) }
    }

    func testRoundTripWithoutOptionalDatasetsAndEmptyShard() throws {
        let structures = DatasetFixtures.randomStructures(9, seed: 2, periodic: false, ids: false)
        let path = try DatasetFixtures.write(structures, to: dir + "/b.h5")
        let shard = try DatasetShard(path: path)
        XCTAssertFalse(shard.hasIDs)
        XCTAssertFalse(shard.hasCell)
        XCTAssertEqual(try shard.read(0..<9), structures)
        XCTAssertNil(try shard.read(0..<9)[0].cell)

        let empty = try DatasetFixtures.write([], to: dir + "/empty.h5")
        let e = try DatasetShard(path: empty)
        XCTAssertEqual(e.count, 0)
        XCTAssertEqual(e.atomCount, 0)
        XCTAssertEqual(try e.read(0..<0), [])
        XCTAssertEqual(e.targets.count, DatasetFixtures.targets.count)
    }

    func testFloat32PositionsAreAccepted() throws {
        let structures = DatasetFixtures.randomStructures(5, seed: 3, periodic: false)
        let path = try DatasetFixtures.write(structures, to: dir + "/f32.h5")
        let positions = structures.flatMap { $0.positions.flatMap { [Float($0.x), Float($0.y), Float($0.z)] } }
        do {
            let f = try HDF5File(path: path, mode: .readWrite)
            try f.deleteMember("positions")
            try f.writeDataset("positions", positions, shape: [positions.count / 3, 3])
        }
        let read = try DatasetShard(path: path).read(0..<5)
        XCTAssertEqual(read.flatMap { $0.positions.flatMap { [$0.x, $0.y, $0.z] } }, positions.map(Double.init))
    }

    func testDirectoryDatasetMapsGlobalIndices() throws {
        let structures = DatasetFixtures.randomStructures(40, seed: 4)
        let shardDir = dir + "/shards"
        let writer = try ShardedDatasetWriter(directory: shardDir, shards: 3, targets: DatasetFixtures.targets, chunkRows: 5)
        for s in structures { try writer.append(s) }
        try writer.close()
        XCTAssertEqual(writer.paths.map { ($0 as NSString).lastPathComponent }, ["shard-00000.h5", "shard-00001.h5", "shard-00002.h5"])
        let ds = try Dataset(path: shardDir)
        XCTAssertEqual(ds.shards.map(\.count), [14, 13, 13])
        XCTAssertEqual(ds.count, 40)
        // Round-robin: shard k holds structures k, k+3, ...; global order is shard-major.
        let expected = (0..<3).flatMap { k in stride(from: k, to: 40, by: 3).map { structures[$0] } }
        XCTAssertEqual(try ds.read(0..<40), expected)
        XCTAssertEqual(try ds.read(12..<30), Array(expected[12..<30]))
        XCTAssertEqual(try ds.location(of: 0).shard, 0)
        XCTAssertEqual(try ds.location(of: 13).shard, 0)
        XCTAssertEqual(try ds.location(of: 14).shard, 1)
        XCTAssertEqual(try ds.location(of: 14).local, 0)
        XCTAssertEqual(try ds.location(of: 39).shard, 2)
        XCTAssertEqual(try ds.location(of: 39).local, 12)
        assertThrowsMentioning([shardDir, "out of bounds"]) { try ds.location(of: 40) }
        // A single file also opens as a Dataset.
        XCTAssertEqual(try Dataset(path: writer.paths[1]).count, 13)
        // Mismatched targets across shards are rejected naming the shard.
        let other = try DatasetFixtures.write(DatasetFixtures.randomStructures(2, seed: 5).map { s in
            var t = s; t.graphTargets["energy"] = nil; return t
        }, to: shardDir + "/zz.h5", targets: DatasetFixtures.targets.filter { $0.name != "energy" })
        assertThrowsMentioning([other, "targets differ", "/graph/energy"]) { try Dataset(path: shardDir) }
        let emptyDir = dir + "/none"
        try FileManager.default.createDirectory(atPath: emptyDir, withIntermediateDirectories: true)
        assertThrowsMentioning([emptyDir, "no *.h5"]) { try Dataset(path: emptyDir) }
    }

    func testWriterRejectsBadStructuresNamingFileAndField() throws {
        let path = dir + "/w.h5"
        let w = try DatasetWriter(path: path, targets: DatasetFixtures.targets)
        let good = DatasetFixtures.randomStructures(1, seed: 6)[0]
        var s = good; s.atomicNumbers[0] = 0
        assertThrowsMentioning([path, "/atomic_numbers", "outside 1...118"]) { try w.append(s) }
        s = good; s.positions[0].y = .nan
        assertThrowsMentioning([path, "/positions", "non-finite"]) { try w.append(s) }
        s = good; s.positions.removeLast()
        assertThrowsMentioning([path, "/positions"]) { try w.append(s) }
        s = good; s.graphTargets["dipole"] = [1, 2]
        assertThrowsMentioning([path, "/graph/dipole", "expected 3"]) { try w.append(s) }
        s = good; s.atomTargets["forces"] = nil
        assertThrowsMentioning([path, "/atom/forces", "no value"]) { try w.append(s) }
        s = good; s.graphTargets["extra"] = [1]
        assertThrowsMentioning([path, "/graph/extra", "undeclared"]) { try w.append(s) }
        try w.append(good)
        s = good; s.id = nil
        assertThrowsMentioning([path, "/ids"]) { try w.append(s) }
        s = good; s.cell = nil; s.pbc = nil
        assertThrowsMentioning([path, "/cell"]) { try w.append(s) }
        try w.close()
        XCTAssertEqual(try DatasetShard(path: path).read(0..<1), [good])
        assertThrowsMentioning([dir + "/d.h5", "duplicate"]) {
            try DatasetWriter(path: dir + "/d.h5", targets: [DatasetFixtures.targets[0], DatasetFixtures.targets[0]])
        }
    }

    func testUnclosedWriterLeavesAFileReadersReject() throws {
        let path = dir + "/unclosed.h5"
        do {
            let w = try DatasetWriter(path: path, targets: DatasetFixtures.targets, chunkRows: 4)
            try w.append(contentsOf: DatasetFixtures.randomStructures(10, seed: 7))
            // no close(): deinit releases the file with incomplete buffers
        }
        assertThrowsMentioning([path]) { try DatasetShard(path: path) }
    }
}
