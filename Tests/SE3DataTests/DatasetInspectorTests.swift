import Foundation
import XCTest
import SE3Data

final class DatasetInspectorTests: XCTestCase {
    func testReportCountsElementsAndTargets() throws {
        let dir = try DatasetTestSupport.temporaryDirectory()
        defer { DatasetTestSupport.remove(dir) }
        let structures = DatasetFixtures.randomStructures(30, seed: 51)
        let w = try ShardedDatasetWriter(directory: dir + "/d", shards: 2, targets: DatasetFixtures.targets)
        for s in structures { try w.append(s) }
        try w.close()
        let report = try DatasetInspector.inspect(path: dir + "/d")
        XCTAssertEqual(report.structures, 30)
        XCTAssertEqual(report.atoms, structures.reduce(0) { $0 + $1.atomCount })
        XCTAssertEqual(report.shards.map(\.structures), [15, 15])
        var counts: [Int32: Int] = [:]
        for s in structures { for z in s.atomicNumbers { counts[z, default: 0] += 1 } }
        XCTAssertEqual(report.elements.map(\.atomicNumber), counts.keys.sorted())
        for e in report.elements {
            XCTAssertEqual(e.count, counts[e.atomicNumber])
            XCTAssertEqual(e.symbol, DatasetElements.symbol(e.atomicNumber))
        }
        XCTAssertEqual(report.minAtoms, structures.map(\.atomCount).min())
        XCTAssertEqual(report.maxAtoms, structures.map(\.atomCount).max())
        let energy = try XCTUnwrap(report.targets.first { $0.info.name == "energy" })
        let values = structures.map { $0.graphTargets["energy"]![0] }
        XCTAssertEqual(energy.mean, values.reduce(0, +) / 30, accuracy: 1e-12)
        XCTAssertEqual(energy.source, "computed")
        let text = report.render()
        XCTAssertTrue(text.contains("structures: 30"))
        XCTAssertTrue(text.contains("shards: 2"))
        XCTAssertTrue(text.contains("shielding atom rank2 [ppm]"))
        assertThrowsMentioning([dir + "/nothing", "no such file"]) { try DatasetInspector.inspect(path: dir + "/nothing") }
    }

    func testElementTable() {
        XCTAssertEqual(DatasetElements.symbols.count, 119)
        XCTAssertEqual(DatasetElements.symbol(1), "H")
        XCTAssertEqual(DatasetElements.symbol(26), "Fe")
        XCTAssertEqual(DatasetElements.symbol(118), "Og")
        XCTAssertEqual(DatasetElements.atomicNumber("cl"), 17)
        XCTAssertNil(DatasetElements.atomicNumber("Xx"))
        for z in Int32(1)...118 { XCTAssertEqual(DatasetElements.atomicNumber(DatasetElements.symbol(z)), z) }
    }
}
