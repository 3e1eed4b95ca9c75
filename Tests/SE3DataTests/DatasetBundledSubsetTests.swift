import Foundation
import XCTest
import SE3Data

/// The committed subset `configs/data/qm9-small/` (made by
/// `se3 prepare qm9 --limit 2000 --seed 0`) is valid and agrees with the CSV fixture.
final class DatasetBundledSubsetTests: XCTestCase {
    var root: String { DatasetTestSupport.repositoryRoot() + "/configs/data/qm9-small" }

    func testBundledSubsetIsValidDisjointAndCarriesTrainStatistics() throws {
        var counts: [Int] = []
        var ids: [Set<Int64>] = []
        var all: [Int64: Structure] = [:]
        var statistics: DatasetStatistics?
        for name in ["train", "val", "test"] {
            let ds = try Dataset(path: root + "/" + name)   // full validation
            counts.append(ds.count)
            let structures = try ds.read(0..<ds.count)
            ids.append(Set(structures.map { $0.id! }))
            for s in structures { all[s.id!] = s }
            XCTAssertEqual(ds.targets, QM9Importer.columns.map(\.target).sorted { $0.name < $1.name } + [QM9Importer.targets.last!])
            XCTAssertNotNil(ds.statistics)
            if let s = statistics { XCTAssertEqual(ds.statistics, s) } else { statistics = ds.statistics }
        }
        XCTAssertEqual(counts, [1600, 200, 200])
        XCTAssertEqual(ids[0].union(ids[1]).union(ids[2]).count, 2000)
        XCTAssertEqual(statistics?.structureCount, 1600)
        // Energies have element references; H and C references are within a few eV of
        // the free-atom-like values QM9 fits usually give (≈ -13.6 eV and ≈ -1030 eV).
        let refs = try XCTUnwrap(statistics?["U0"]?.elementReferences)
        XCTAssertEqual(refs[1], -13.6, accuracy: 3)
        XCTAssertEqual(refs[6], -1030, accuracy: 10)
        // Molecules 1...50 equal an independent import of the CSV fixture.
        let fixture = DatasetTestSupport.testsDirectory() + "/Fixtures/qm9_part1_head50.csv"
        for m in try QM9Importer(source: fixture).read(limit: 50) {
            XCTAssertEqual(all[m.id!], m, "molecule \(m.id!)")
        }
    }
}
