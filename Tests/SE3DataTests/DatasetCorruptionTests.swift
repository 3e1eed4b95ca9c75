import XCTest
import SE3Data
import SE3HDF5

/// Damaged files must give thrown errors, never crashes or silently wrong numbers.
final class DatasetCorruptionTests: XCTestCase {
    var dir = ""
    override func setUpWithError() throws { dir = try DatasetTestSupport.temporaryDirectory() }
    override func tearDown() { DatasetTestSupport.remove(dir) }

    func testTruncatedShardThrows() throws {
        let path = try DatasetFixtures.write(DatasetFixtures.randomStructures(300, seed: 31), to: dir + "/t.h5", chunkRows: 64)
        try DatasetTestSupport.truncate(path, fraction: 0.5)
        assertThrowsMentioning([path]) { try DatasetShard(path: path) }
        assertThrowsMentioning([path]) { try Dataset(path: path) }
    }

    func testBitFlippedPositionsChunkIsDetected() throws {
        let structures = DatasetFixtures.randomStructures(300, seed: 32)
        let path = try DatasetFixtures.write(structures, to: dir + "/f.h5", chunkRows: 64)
        let chunks = try HDF5File(path: path).openDataset("positions").chunkLocations()
        XCTAssertGreaterThan(chunks.count, 3)
        let c = chunks[chunks.count / 2]
        try DatasetTestSupport.flipBytes(path, at: Int(c.offset + c.size / 2), count: 3)
        // The content scan on open reads every chunk: Fletcher32 rejects the damaged one.
        assertThrowsMentioning([path, "/positions"]) { try DatasetShard(path: path) }
        // Without the scan, reads of the damaged rows fail and other rows are intact.
        let shard = try DatasetShard(path: path, validateContents: false)
        assertThrowsMentioning([path, "/positions"]) { try shard.read(0..<300) }
        XCTAssertEqual(try shard.read(0..<2), Array(structures[0..<2]))
    }

    /// Issue #11 item 2: a shard whose `/offsets` is a chunked dataset claiming 2⁴⁰ rows used to
    /// abort `se3 inspect` (an 8 TB allocation); now opening it is a `DataError` naming the field.
    func testOffsetsClaimingMoreRowsThanTheFileHoldsIsADataError() throws {
        let path = try DatasetFixtures.write(DatasetFixtures.randomStructures(200, seed: 34), to: dir + "/claim.h5", chunkRows: 16)
        do {
            let f = try HDF5File(path: path, mode: .readWrite)
            try f.openDataset("offsets").resize(rows: 1 << 40)
            try f.close()
        }
        for open in [{ _ = try DatasetShard(path: path) }, { _ = try DatasetShard(path: path, validateContents: false) },
                     { _ = try DatasetInspector.inspect(path: path) }] {
            do {
                try open()
                XCTFail("a shard claiming 2⁴⁰ offsets must not open")
            } catch let e as DataError {
                XCTAssertEqual(e.file, path)
                XCTAssertEqual(e.field, "/offsets")
                XCTAssertTrue(e.message.contains("claims"), e.message)
            }
        }
        // The same for atom data: /atomic_numbers and /positions claiming 2⁴⁰ atoms.
        let atoms = try DatasetFixtures.write(DatasetFixtures.randomStructures(50, seed: 35), to: dir + "/atoms.h5", chunkRows: 16)
        do {
            let f = try HDF5File(path: atoms, mode: .readWrite)
            try f.openDataset("atomic_numbers").resize(rows: 1 << 40)
            try f.openDataset("positions").resize(rows: 1 << 40)
            try f.close()
        }
        assertThrowsMentioning([atoms, "/atomic_numbers", "claims"]) { try DatasetShard(path: atoms) }
    }

    func testBitFlippedOffsetsIsDetected() throws {
        let path = try DatasetFixtures.write(DatasetFixtures.randomStructures(100, seed: 33), to: dir + "/o.h5", chunkRows: 16)
        let chunks = try HDF5File(path: path).openDataset("offsets").chunkLocations()
        try DatasetTestSupport.flipBytes(path, at: Int(chunks[2].offset + chunks[2].size / 2), count: 1)
        assertThrowsMentioning([path, "/offsets"]) { try DatasetShard(path: path) }
    }
}
