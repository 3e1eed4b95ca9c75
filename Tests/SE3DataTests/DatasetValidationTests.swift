import XCTest
import SE3Data
import SE3HDF5

/// Every validation rule of the v1 reader, each on a file that is valid except for one defect;
/// each error must name the file and the dataset (or attribute).
final class DatasetValidationTests: XCTestCase {
    var dir = ""
    var path = ""
    var structures: [Structure] = []
    var atoms = 0

    override func setUpWithError() throws {
        dir = try DatasetTestSupport.temporaryDirectory()
        structures = DatasetFixtures.randomStructures(12, seed: 21)
        atoms = structures.reduce(0) { $0 + $1.atomCount }
        path = try DatasetFixtures.write(structures, to: dir + "/v.h5")
        XCTAssertNoThrow(try DatasetShard(path: path))
    }
    override func tearDown() { DatasetTestSupport.remove(dir) }

    /// Replaces dataset `name` by `values` with `shape`, keeping attributes given.
    func replace<T: HDF5Scalar>(_ name: String, _ values: [T], shape: [Int], attributes: [String: String] = [:]) throws {
        let f = try HDF5File(path: path, mode: .readWrite)
        if f.exists(name) { try f.deleteMember(name) }
        let ds = try f.writeDataset(name, values, shape: shape)
        for (k, v) in attributes { try ds.setAttribute(k, v) }
        try f.close()
    }

    func offsets() -> [Int64] {
        var o: [Int64] = [0]
        for s in structures { o.append(o[o.count - 1] + Int64(s.atomCount)) }
        return o
    }

    func expectError(_ fragments: [String], line: UInt = #line) {
        assertThrowsMentioning([path] + fragments, line: line) { try DatasetShard(path: path) }
    }

    func testOffsetsNotStartingAtZero() throws {
        var o = offsets(); o[0] = 1
        try replace("offsets", o, shape: [o.count])
        expectError(["/offsets", "start at 0"])
    }

    func testOffsetsDecreasing() throws {
        var o = offsets(); o[5] = o[4] - 1
        try replace("offsets", o, shape: [o.count])
        expectError(["/offsets", "decrease at index 5"])
    }

    func testOffsetsNotEndingAtAtomCount() throws {
        var o = offsets(); o[o.count - 1] -= 1
        try replace("offsets", o, shape: [o.count])
        expectError(["/offsets", "end at the atom count \(atoms)"])
    }

    func testOffsetsWithWrongTypeOrRank() throws {
        try replace("offsets", offsets().map(Double.init), shape: [offsets().count])
        expectError(["/offsets", "expected integers"])
        try replace("offsets", [Int64](repeating: 0, count: 4), shape: [2, 2])
        expectError(["/offsets", "shape"])
    }

    func testPositionsWrongShape() throws {
        try replace("positions", [Double](repeating: 0, count: 2 * atoms), shape: [atoms, 2])
        expectError(["/positions", "expected shape [\(atoms), 3]"])
        try replace("positions", [Double](repeating: 0, count: 3 * (atoms - 1)), shape: [atoms - 1, 3])
        expectError(["/positions", "expected shape"])
    }

    func testNaNPosition() throws {
        var p = structures.flatMap { $0.positions.flatMap { [$0.x, $0.y, $0.z] } }
        p[3 * 7 + 1] = .nan
        try replace("positions", p, shape: [atoms, 3])
        expectError(["/positions", "non-finite", "atom 7"])
        // Without the content scan the lazy read still refuses the rows it touches.
        let shard = try DatasetShard(path: path, validateContents: false)
        assertThrowsMentioning([path, "/positions"]) { try shard.read(0..<12) }
    }

    func testAtomicNumberZeroAnd119() throws {
        for bad: Int32 in [0, 119] {
            var z = structures.flatMap(\.atomicNumbers)
            z[4] = bad
            try replace("atomic_numbers", z, shape: [atoms])
            expectError(["/atomic_numbers", "atomic number \(bad)", "atom 4"])
        }
    }

    func testMissingPositionsAndAtomicNumbers() throws {
        do {
            let f = try HDF5File(path: path, mode: .readWrite)
            try f.deleteMember("positions")
        }
        expectError(["/positions", "missing"])
        do {
            let f = try HDF5File(path: path, mode: .readWrite)
            try f.deleteMember("atomic_numbers")
        }
        expectError(["/atomic_numbers", "missing"])
    }

    func testTargetFirstDimensionMismatch() throws {
        try replace("graph/energy", [Double](repeating: 1, count: 13), shape: [13],
                    attributes: ["kind": "scalar", "units": "eV"])
        expectError(["/graph/energy", "first dimension 13", "G = 12"])
    }

    func testAtomTargetFirstDimensionMismatch() throws {
        try replace("atom/forces", [Double](repeating: 1, count: 3 * (atoms - 1)), shape: [atoms - 1, 3],
                    attributes: ["kind": "vector", "units": "eV/A"])
        expectError(["/atom/forces", "first dimension \(atoms - 1)", "A = \(atoms)"])
    }

    func testKindTrailingShapeMismatch() throws {
        // vector kind but scalar shape
        try replace("graph/energy", [Double](repeating: 1, count: 12), shape: [12], attributes: ["kind": "vector", "units": "eV"])
        expectError(["/graph/energy", "does not match kind vector"])
        // rank2 kind with [G, 3]
        try replace("graph/energy", [Double](repeating: 1, count: 36), shape: [12, 3], attributes: ["kind": "rank2", "units": "eV"])
        expectError(["/graph/energy", "does not match kind rank2", "[12, 3, 3]"])
        // unknown kind
        try replace("graph/energy", [Double](repeating: 1, count: 12), shape: [12], attributes: ["kind": "tensor", "units": "eV"])
        expectError(["/graph/energy", "attribute kind", "unknown kind"])
        // missing units
        try replace("graph/energy", [Double](repeating: 1, count: 12), shape: [12], attributes: ["kind": "scalar"])
        expectError(["/graph/energy", "attribute units", "missing"])
    }

    func testFormatAttributes() throws {
        let f = try HDF5File(path: path, mode: .readWrite)
        try f.deleteAttribute("format")
        try f.close()
        expectError(["attribute format", "missing"])

        let g = try HDF5File(path: path, mode: .readWrite)
        try g.setAttribute("format", "something-else")
        try g.close()
        expectError(["attribute format", "se3-dataset"])

        let h = try HDF5File(path: path, mode: .readWrite)
        try h.setAttribute("format", "se3-dataset")
        try h.setAttribute("format_version", Int64(2))
        try h.close()
        expectError(["attribute format_version", "unsupported format_version 2"])

        let i = try HDF5File(path: path, mode: .readWrite)
        try i.deleteAttribute("format_version")
        try i.close()
        expectError(["attribute format_version", "missing"])

        let j = try HDF5File(path: path, mode: .readWrite)
        try j.setAttribute("format_version", Int64(1))
        try j.setAttribute("length_unit", "bohr")
        try j.close()
        expectError(["attribute length_unit", "bohr"])
    }

    func testIdsCellPbcShapes() throws {
        try replace("ids", [Int64](repeating: 0, count: 11), shape: [11])
        expectError(["/ids", "expected shape [12]"])
        try replace("ids", [Int64](repeating: 0, count: 12), shape: [12])
        try replace("cell", [Double](repeating: 0, count: 12 * 9), shape: [12, 9])
        expectError(["/cell", "[12, 3, 3]"])
        try replace("cell", [Double](repeating: 0, count: 12 * 9), shape: [12, 3, 3])
        try replace("pbc", [UInt8](repeating: 1, count: 12 * 2), shape: [12, 2])
        expectError(["/pbc", "[12, 3]"])
        let f = try HDF5File(path: path, mode: .readWrite)
        try f.deleteMember("pbc")
        try f.close()
        expectError(["/pbc", "missing"])
    }

    func testStatisticsValidation() throws {
        let stats = DatasetStatistics(entries: ["energy": .init(mean: 1, std: 2, normalization: .perGraph, count: 12)], structureCount: 12)
        try stats.write(toShardAt: path)
        XCTAssertEqual(try DatasetShard(path: path).statistics, stats)
        try replace("statistics/energy/std", [-1.0], shape: [1])
        expectError(["/statistics/energy/std", "negative"])
        try replace("statistics/energy/std", [2.0], shape: [1])
        try replace("statistics/energy/element_refs", [1.0, 2.0], shape: [2])
        expectError(["/statistics/energy/element_refs", "[119]"])
        // Damaged statistics can be replaced.
        try stats.write(toShardAt: path)
        XCTAssertEqual(try DatasetShard(path: path).statistics, stats)
        let bad = DatasetStatistics(entries: ["nope": .init(mean: 1, std: 2, normalization: .perGraph, count: 1)], structureCount: 1)
        assertThrowsMentioning([path, "/statistics/nope"]) { try bad.write(toShardAt: path) }
    }

    func testNotAnHDF5FileAndMissingFile() throws {
        let text = dir + "/text.h5"
        try "not hdf5".write(toFile: text, atomically: true, encoding: .utf8)
        assertThrowsMentioning([text, "not an HDF5 file"]) { try DatasetShard(path: text) }
        assertThrowsMentioning([dir + "/missing.h5", "no such file"]) { try DatasetShard(path: dir + "/missing.h5") }
    }
}
