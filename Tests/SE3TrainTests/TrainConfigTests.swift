import XCTest
import Foundation
import SE3Models
import SE3Train

final class TrainConfigTests: XCTestCase {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Every YAML file in configs/ decodes and validates.
    func testEveryConfigFileDecodes() throws {
        let dir = Self.packageRoot.appendingPathComponent("configs")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        XCTAssertGreaterThanOrEqual(files.count, 2)
        for f in files {
            let c = try TrainConfig.load(path: dir.appendingPathComponent(f).path)
            XCTAssertFalse(c.targets.isEmpty, f)
        }
    }

    let minimal = """
    model: {name: tfn}
    data: {train: x}
    targets: [{name: homo}]
    training: {epochs: 2}
    """

    func testDefaultsAndOverrides() throws {
        let c = try TrainConfig.parse(yaml: minimal, file: "m.yaml",
                                      overrides: ["training.lr=0.01", "model.channels=8", "distributed.sync=parameters"])
        XCTAssertEqual(c.training.lr, 0.01)
        XCTAssertEqual(c.model.channels, 8)
        XCTAssertEqual(c.model.lmax, 2)
        XCTAssertEqual(c.distributed.sync, "parameters")
        XCTAssertEqual(c.checkpoint.keepLast, 3)
        // Round trip through YAML.
        let again = try TrainConfig.parse(yaml: try c.yaml(), file: "again.yaml")
        XCTAssertEqual(again, c)
    }

    func testMissingKeyNamesFileAndKey() {
        let yaml = """
        model: {name: tfn}
        targets: [{name: homo}]
        training: {epochs: 2}
        """
        XCTAssertThrowsError(try TrainConfig.parse(yaml: yaml, file: "bad.yaml")) { e in
            let err = e as? ConfigError
            XCTAssertEqual(err?.file, "bad.yaml")
            XCTAssertEqual(err?.key, "data")
        }
        let yaml2 = """
        model: {lmax: 2}
        data: {train: x}
        targets: [{name: homo}]
        training: {epochs: 2}
        """
        XCTAssertThrowsError(try TrainConfig.parse(yaml: yaml2, file: "bad2.yaml")) { e in
            XCTAssertEqual((e as? ConfigError)?.key, "model.name")
        }
    }

    func testInvalidValuesNameTheKey() {
        let cases: [(String, String)] = [
            ("model.name=segnn", "model.name"), ("model.lmax=-1", "model.lmax"), ("training.lr=0", "training.lr"),
            ("training.loss=huber", "training.loss"), ("distributed.sync=never", "distributed.sync"),
            ("data.batch_size=0", "data.batch_size"), ("model.elements=[1, 200]", "model.elements"),
        ]
        for (override, key) in cases {
            XCTAssertThrowsError(try TrainConfig.parse(yaml: minimal, file: "m.yaml", overrides: [override]), override) { e in
                XCTAssertEqual((e as? ConfigError)?.key, key, override)
            }
        }
        XCTAssertThrowsError(try TrainConfig.parse(yaml: minimal, file: "m.yaml", overrides: ["model.lmax=abc"])) { e in
            XCTAssertEqual((e as? ConfigError)?.key, "model.lmax")
        }
        XCTAssertThrowsError(try TrainConfig.parse(yaml: "model: [", file: "broken.yaml")) { e in
            XCTAssertEqual((e as? ConfigError)?.file, "broken.yaml")
        }
    }
}
