import XCTest
import SE3HDF5
import SE3Math

final class HDF5WrapperTests: XCTestCase {
    var dir = ""
    override func setUpWithError() throws { dir = try DatasetTestSupport.temporaryDirectory() }
    override func tearDown() { DatasetTestSupport.remove(dir) }

    func testRoundTripTypesShapesAndRowReads() throws {
        let path = dir + "/a.h5"
        var rng = SeededGenerator(seed: 11)
        let doubles = (0..<(37 * 3)).map { _ in rng.nextGaussian() }
        let floats = (0..<10).map { _ in Float(rng.nextGaussian()) }
        let ints32 = (0..<37).map { _ in Int32.random(in: -1000...1000, using: &rng) }
        let ints64 = (0..<(5 * 3 * 3)).map { _ in Int64.random(in: Int64.min...Int64.max, using: &rng) }
        let bytes = (0..<12).map { _ in UInt8.random(in: 0...255, using: &rng) }
        do {
            let f = try HDF5File(path: path, mode: .truncate)
            try f.writeDataset("d", doubles, shape: [37, 3], options: HDF5DatasetOptions(chunkRows: 8))
            let g = try f.createGroup("grp")
            try g.writeDataset("f", floats, shape: [10])
            try g.writeDataset("i32", ints32, shape: [37], options: HDF5DatasetOptions(chunkRows: 5))
            try g.writeDataset("i64", ints64, shape: [5, 3, 3])
            try f.writeDataset("u8", bytes, shape: [4, 3], options: HDF5DatasetOptions(deflateLevel: nil, shuffle: false, checksum: false))
            try f.setAttribute("name", "se3-dataset")
            try f.setAttribute("version", Int64(7))
            try g.setAttribute("scale", 2.5)
            try f.setAttribute("empty", "")
            try f.close()
        }
        let f = try HDF5File(path: path)
        XCTAssertEqual(try f.memberNames(), ["d", "grp", "u8"])
        XCTAssertEqual(try f.openGroup("grp").memberNames(), ["f", "i32", "i64"])
        XCTAssertTrue(f.exists("grp/i64"))
        XCTAssertTrue(f.exists("/grp/i64"))
        XCTAssertFalse(f.exists("grp/nope"))
        XCTAssertFalse(f.exists("nope/i64"))
        XCTAssertEqual(try f.kind(of: "grp"), .group)
        XCTAssertEqual(try f.kind(of: "grp/f"), .dataset)

        let d = try f.openDataset("d")
        XCTAssertEqual(try d.shape, [37, 3])
        XCTAssertEqual(try d.typeClass, .float(bytes: 8))
        XCTAssertEqual(try d.read(as: Double.self), doubles)
        XCTAssertEqual(try d.readRows(5..<19, as: Double.self), Array(doubles[15..<57]))
        XCTAssertEqual(try d.readRows(36..<37, as: Double.self), Array(doubles[108..<111]))
        XCTAssertEqual(try d.readRows(3..<3, as: Double.self), [])
        XCTAssertEqual(try f.openDataset("grp/f").read(as: Float.self), floats)
        // float32 on disk read as Double is an exact widening conversion.
        XCTAssertEqual(try f.openDataset("grp/f").read(as: Double.self), floats.map(Double.init))
        XCTAssertEqual(try f.openDataset("grp/f").typeClass, .float(bytes: 4))
        XCTAssertEqual(try f.openDataset("grp/i32").read(as: Int32.self), ints32)
        XCTAssertEqual(try f.openDataset("grp/i32").typeClass, .integer(bytes: 4, signed: true))
        XCTAssertEqual(try f.openDataset("grp/i64").readRows(2..<4, as: Int64.self), Array(ints64[18..<36]))
        XCTAssertEqual(try f.openDataset("u8").read(as: UInt8.self), bytes)
        XCTAssertEqual(try f.openDataset("u8").typeClass, .integer(bytes: 1, signed: false))
        XCTAssertEqual(try f.stringAttribute("name"), "se3-dataset")
        XCTAssertEqual(try f.stringAttribute("empty"), "")
        XCTAssertEqual(try f.integerAttribute("version"), 7)
        XCTAssertEqual(try f.doubleAttribute("version"), 7)
        XCTAssertEqual(try f.openGroup("grp").doubleAttribute("scale"), 2.5)
        XCTAssertTrue(try f.hasAttribute("name"))
        XCTAssertFalse(try f.hasAttribute("nope"))
        XCTAssertEqual(try f.attributeTypeClass("name"), .string)
    }

    func testAppendRowsAndReplaceAttributes() throws {
        let path = dir + "/b.h5"
        let f = try HDF5File(path: path, mode: .truncate)
        let ds = try f.createDataset("x", type: .float64, shape: [0, 3], options: HDF5DatasetOptions(chunkRows: 4))
        var expected: [Double] = []
        for block in 0..<5 {
            let rows = (0..<(3 * (block + 1))).map { Double(block * 100 + $0) }
            try ds.appendRows(rows)
            expected += rows
        }
        XCTAssertEqual(try ds.shape, [15, 3])
        try ds.writeRows([-1, -2, -3], at: 2)
        expected.replaceSubrange(6..<9, with: [-1, -2, -3])
        try f.setAttribute("a", "first")
        try f.setAttribute("a", "second, longer")
        try f.setAttribute("n", Int64(1))
        try f.deleteAttribute("n")
        try ds.close()
        try f.close()
        let r = try HDF5File(path: path)
        XCTAssertEqual(try r.openDataset("x").read(as: Double.self), expected)
        XCTAssertEqual(try r.stringAttribute("a"), "second, longer")
        XCTAssertFalse(try r.hasAttribute("n"))
    }

    func testErrorsNameFileAndObject() throws {
        let path = dir + "/c.h5"
        do {
            let f = try HDF5File(path: path, mode: .truncate)
            try f.writeDataset("v", [1.0, 2.0, 3.0], shape: [3])
            try f.setAttribute("s", "text")
            try f.setAttribute("x", 1.5)
        }
        let f = try HDF5File(path: path)
        assertThrowsMentioning([path, "/missing", "missing"]) { try f.openDataset("missing") }
        assertThrowsMentioning([path, "/g/x"]) { try f.openGroup("g/x") }
        assertThrowsMentioning([path, "/v", "out of bounds"]) { try f.openDataset("v").readRows(2..<4, as: Double.self) }
        assertThrowsMentioning([path, "attribute s", "expected an integer"]) { try f.integerAttribute("s") }
        assertThrowsMentioning([path, "attribute x", "expected an integer"]) { try f.integerAttribute("x") }
        assertThrowsMentioning([path, "attribute nope", "missing"]) { try f.stringAttribute("nope") }
        assertThrowsMentioning([path, "attribute x", "expected a string"]) { try f.stringAttribute("x") }
        // Writing to a read-only file: HDF5's own message is passed through.
        assertThrowsMentioning([path, "/new"]) { try f.createGroup("new") }
        assertThrowsMentioning([dir + "/nope.h5", "no such file"]) { try HDF5File(path: dir + "/nope.h5") }
        let text = dir + "/text.h5"
        try "hello".write(toFile: text, atomically: true, encoding: .utf8)
        assertThrowsMentioning([text, "not an HDF5 file"]) { try HDF5File(path: text) }
        try f.close()
        assertThrowsMentioning([path, "closed"]) { try f.openDataset("v") }
    }

    /// A chunked dataset can claim far more rows than its file holds (unwritten chunks read as
    /// fill values): reads are bounded by the file's size, with overflow-checked products.
    func testClaimedSizesAreBoundedByTheFile() throws {
        let path = dir + "/claims.h5"
        do {
            let f = try HDF5File(path: path, mode: .truncate)
            try f.writeDataset("plain", [Double](repeating: 1, count: 64), shape: [64],
                               options: HDF5DatasetOptions(chunkRows: 16, deflateLevel: nil, shuffle: false, checksum: false))
            try f.writeDataset("packed", [Double](repeating: 1, count: 64), shape: [64], options: HDF5DatasetOptions(chunkRows: 16))
            try f.writeDataset("wide", [Float](repeating: 2, count: 12), shape: [4, 3], options: HDF5DatasetOptions(chunkRows: 2))
            try f.openDataset("plain").resize(rows: 1 << 20)        // 8 MB claimed, uncompressed
            try f.openDataset("packed").resize(rows: 1 << 40)       // 8 TB claimed, deflated
            try f.openDataset("wide").resize(rows: 1 << 62)         // 2⁶² · 3 elements: the product overflows
        }
        let f = try HDF5File(path: path)
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        XCTAssertLessThan(size, 1 << 20)
        assertThrowsMentioning([path, "/plain", "claims 8388608 bytes", "more than a file of"]) {
            try f.openDataset("plain").read(as: Double.self)
        }
        assertThrowsMentioning([path, "/packed", "claims", "even compressed"]) { try f.openDataset("packed").read(as: Double.self) }
        assertThrowsMentioning([path, "/packed", "rows 0..<1099511627776"]) {
            try f.openDataset("packed").readRows(0..<(1 << 40), as: Int64.self)
        }
        assertThrowsMentioning([path, "/packed"]) { try f.openDataset("packed").checkClaimedSize() }
        assertThrowsMentioning([path, "/wide", "too many elements"]) { try f.openDataset("wide").readRows(0..<(1 << 62), as: Float.self) }
        assertThrowsMentioning([path, "/wide", "more elements than a read can address"]) { try f.openDataset("wide").elementCount }
        // Rows the file can hold still read (written rows, then fill values).
        XCTAssertEqual(try f.openDataset("packed").readRows(60..<68, as: Double.self), [1, 1, 1, 1, 0, 0, 0, 0])
        XCTAssertEqual(try f.openDataset("wide").readRows(2..<5, as: Float.self), [2, 2, 2, 2, 2, 2, 0, 0, 0])
        XCTAssertEqual(try f.openDataset("wide").shape, [1 << 62, 3])
    }

    func testTruncatedFileThrowsOnOpen() throws {
        let path = dir + "/t.h5"
        var rng = SeededGenerator(seed: 3)
        do {
            let f = try HDF5File(path: path, mode: .truncate)
            try f.writeDataset("x", (0..<50_000).map { _ in rng.nextGaussian() }, shape: [50_000])
        }
        try DatasetTestSupport.truncate(path, fraction: 0.5)
        assertThrowsMentioning([path]) {
            let f = try HDF5File(path: path)
            return try f.openDataset("x").read(as: Double.self)
        }
    }

    func testBitFlipInChunkIsCaughtByChecksum() throws {
        let path = dir + "/flip.h5"
        var rng = SeededGenerator(seed: 5)
        let values = (0..<4096).map { _ in rng.nextGaussian() }
        var chunks: [(offset: UInt64, size: UInt64)] = []
        do {
            let f = try HDF5File(path: path, mode: .truncate)
            // No compression: a flipped byte would otherwise silently change a value.
            let ds = try f.writeDataset("x", values, shape: [4096],
                                        options: HDF5DatasetOptions(chunkRows: 1024, deflateLevel: nil, shuffle: false, checksum: true))
            chunks = try ds.chunkLocations()
        }
        XCTAssertEqual(chunks.count, 4)
        let target = chunks[2]
        try DatasetTestSupport.flipBytes(path, at: Int(target.offset + target.size / 2), count: 2)
        let f = try HDF5File(path: path)
        let ds = try f.openDataset("x")
        // Rows in intact chunks still read correctly.
        XCTAssertEqual(try ds.readRows(0..<1024, as: Double.self), Array(values[0..<1024]))
        assertThrowsMentioning([path, "/x"]) { try ds.readRows(2048..<2050, as: Double.self) }
        assertThrowsMentioning([path, "/x"]) { try ds.read(as: Double.self) }
    }

    func testUncheckedFlipIsSilentWhichIsWhyWeChecksum() throws {
        // Control for the test above: without Fletcher32 the same corruption reads back wrong values.
        let path = dir + "/flip2.h5"
        let values = (0..<2048).map { Double($0) }
        var chunks: [(offset: UInt64, size: UInt64)] = []
        do {
            let f = try HDF5File(path: path, mode: .truncate)
            let ds = try f.writeDataset("x", values, shape: [2048],
                                        options: HDF5DatasetOptions(chunkRows: 1024, deflateLevel: nil, shuffle: false, checksum: false))
            chunks = try ds.chunkLocations()
        }
        try DatasetTestSupport.flipBytes(path, at: Int(chunks[1].offset + chunks[1].size / 2), count: 2)
        let read = try HDF5File(path: path).openDataset("x").read(as: Double.self)
        XCTAssertNotEqual(read, values)
    }
}
