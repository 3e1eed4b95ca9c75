import Foundation
import XCTest

/// Temporary directories and file corruption helpers shared by the dataset/HDF5 tests.
enum DatasetTestSupport {
    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory(_ tag: String = #function) throws -> String {
        let safe = tag.filter { $0.isLetter || $0.isNumber }
        let dir = NSTemporaryDirectory() + "se3-hdf5data-\(safe)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

    /// Cuts the file to `fraction` of its size.
    static func truncate(_ path: String, fraction: Double) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let keep = Int(Double(data.count) * fraction)
        try data.prefix(keep).write(to: URL(fileURLWithPath: path))
    }

    /// XORs `count` bytes starting at `offset` with 0xFF.
    static func flipBytes(_ path: String, at offset: Int, count: Int) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        for i in offset..<min(offset + count, data.count) { data[i] ^= 0xFF }
        try data.write(to: URL(fileURLWithPath: path))
    }

    /// Directory of this test file (fixtures live under `Fixtures/`).
    static func testsDirectory(_ file: String = #filePath) -> String {
        (file as NSString).deletingLastPathComponent
    }

    /// Repository root (two levels above this file).
    static func repositoryRoot(_ file: String = #filePath) -> String {
        ((testsDirectory(file) as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
    }
}

/// Asserts that `body` throws and that the error's description contains every string in `fragments`.
func assertThrowsMentioning<T>(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line,
                               _ body: () throws -> T) {
    do {
        _ = try body()
        XCTFail("expected an error mentioning \(fragments)", file: file, line: line)
    } catch {
        let text = String(describing: error)
        for f in fragments where !text.contains(f) {
            XCTFail("error \"\(text)\" does not mention \"\(f)\"", file: file, line: line)
        }
    }
}

import SE3Data
import SE3Math

/// In-memory `StructureSource` for tests.
struct DatasetArraySource: StructureSource {
    var structures: [Structure]
    var targets: [TargetInfo]
    var count: Int { structures.count }
    func read(_ range: Range<Int>) throws -> [Structure] { Array(structures[range]) }
}

enum DatasetFixtures {
    /// Targets covering every level × kind.
    static let targets: [TargetInfo] = [
        TargetInfo(name: "energy", level: .graph, kind: .scalar, units: "eV"),
        TargetInfo(name: "dipole", level: .graph, kind: .vector, units: "D"),
        TargetInfo(name: "stress", level: .graph, kind: .rank2, units: "eV/A^3"),
        TargetInfo(name: "charges", level: .atom, kind: .scalar, units: "e"),
        TargetInfo(name: "forces", level: .atom, kind: .vector, units: "eV/A"),
        TargetInfo(name: "shielding", level: .atom, kind: .rank2, units: "ppm"),
    ]

    /// `count` random structures (1...12 atoms, Z in 1...118), periodic cells when `periodic`.
    static func randomStructures(_ count: Int, seed: UInt64, periodic: Bool = true, ids: Bool = true) -> [Structure] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { g in
            let n = Int.random(in: 1...12, using: &rng)
            let z = (0..<n).map { _ in Int32.random(in: 1...118, using: &rng) }
            let p = (0..<n).map { _ in SIMD3(rng.nextGaussian() * 3, rng.nextGaussian() * 3, rng.nextGaussian() * 3) }
            func values(_ k: Int) -> [Double] { (0..<k).map { _ in rng.nextGaussian() } }
            var s = Structure(atomicNumbers: z, positions: p)
            if periodic {
                s.cell = [SIMD3(5 + rng.nextGaussian(), 0.1, 0), SIMD3(0, 6, 0.2), SIMD3(0.3, 0, 7)]
                s.pbc = SIMD3(1, UInt8(g % 2), 1)
            }
            if ids { s.id = Int64(1000 + 3 * g) }
            s.graphTargets = ["energy": values(1), "dipole": values(3), "stress": values(9)]
            s.atomTargets = ["charges": values(n), "forces": values(3 * n), "shielding": values(9 * n)]
            return s
        }
    }

    /// Writes `structures` to `path` with small chunks so several chunks are used.
    @discardableResult
    static func write(_ structures: [Structure], to path: String, targets: [TargetInfo] = targets,
                      chunkRows: Int = 7, statistics: DatasetStatistics? = nil) throws -> String {
        let w = try DatasetWriter(path: path, targets: targets, chunkRows: chunkRows, atomChunkRows: 11)
        w.statistics = statistics
        try w.append(contentsOf: structures)
        try w.close()
        return path
    }
}
