import SE3Config
import XCTest
import Foundation
import SE3Models
import SE3Train

final class TrainConfigTests: XCTestCase {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Every YAML file under configs/ (benchmark workloads included) decodes and validates, and
    /// survives the YAML round trip checkpoints use.
    func testEveryConfigFileDecodes() throws {
        let dir = Self.packageRoot.appendingPathComponent("configs")
        let files = (FileManager.default.enumerator(atPath: dir.path)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        XCTAssertGreaterThanOrEqual(files.count, 3)
        XCTAssertTrue(files.contains("bench/tfn.yaml"))
        for f in files {
            let c = try TrainConfig.load(path: dir.appendingPathComponent(f).path)
            XCTAssertFalse(c.targets.isEmpty, f)
            if c.data.val != nil { XCTAssertNotNil(c.data.test, "\(f): a config with a validation split names its test split") }
            XCTAssertEqual(try TrainConfig.parse(yaml: try c.yaml(), file: f), c, f)
        }
    }

    func message(_ yaml: String, _ overrides: [String] = []) -> String {
        do {
            _ = try TrainConfig.parse(yaml: yaml, file: "m.yaml", overrides: overrides)
            return "parsed"
        } catch {
            return "\(error)"
        }
    }

    /// Unknown keys anywhere, in the file or from `--set`, name the file and the key path and
    /// suggest the nearest known key.
    func testUnknownKeysAreErrorsWithSuggestions() {
        let typo = """
        model: {name: tfn}
        data: {train: x}
        targets: [{name: homo}]
        training: {epochs: 1, lrr: 0.1}
        """
        XCTAssertEqual(message(typo), "m.yaml: training.lrr: unknown key; did you mean training.lr?")
        XCTAssertEqual(message(minimal, ["model.chanels=64"]),
                       "m.yaml: model.chanels: unknown key (from --set model.chanels=64); did you mean model.channels?")
        XCTAssertEqual(message(minimal, ["trainin.lr=0.1"]),
                       "m.yaml: trainin: unknown key (from --set trainin.lr=0.1); did you mean training?")
        XCTAssertEqual(message(minimal, ["data.batchsize=4"]),
                       "m.yaml: data.batchsize: unknown key (from --set data.batchsize=4); did you mean data.batch_size?")
        XCTAssertEqual(message(minimal, ["checkpoint.every=2"]),
                       "m.yaml: checkpoint.every: unknown key (from --set checkpoint.every=2); did you mean checkpoint.every_epochs?")
        XCTAssertEqual(message(minimal, ["distributed.average=2"]),
                       "m.yaml: distributed.average: unknown key (from --set distributed.average=2); did you mean distributed.average_every?")
        let target = """
        model: {name: tfn}
        data: {train: x}
        targets: [{name: homo, wieght: 2}]
        training: {epochs: 1}
        """
        XCTAssertEqual(message(target), "m.yaml: targets[0].wieght: unknown key; did you mean targets[0].weight?")
        // nothing close: the known keys of that mapping are listed
        XCTAssertTrue(message(minimal, ["model.colour=red"]).hasPrefix("m.yaml: model.colour: unknown key (from --set model.colour=red); known keys here: name, elements, cutoff"))
    }

    /// Closed choices list the allowed values.
    func testClosedChoicesListTheAllowedValues() {
        XCTAssertEqual(message(minimal, ["training.loss=huber"]),
                       "m.yaml: training.loss: must be one of 'l1', 'mse'; got 'huber' (from --set training.loss=huber)")
        XCTAssertEqual(message(minimal, ["training.schedule=cosin"]),
                       "m.yaml: training.schedule: must be one of 'cosine', 'plateau', 'constant'; got 'cosin'; did you mean 'cosine'? (from --set training.schedule=cosin)")
        XCTAssertEqual(message(minimal, ["distributed.sync=never"]),
                       "m.yaml: distributed.sync: must be one of 'gradients', 'parameters'; got 'never' (from --set distributed.sync=never)")
        XCTAssertEqual(message(minimal, ["model.radial_basis=chebyshev"]),
                       "m.yaml: model.radial_basis: must be one of 'bessel', 'gaussian'; got 'chebyshev' (from --set model.radial_basis=chebyshev)")
        XCTAssertEqual(message(minimal, ["model.name=segnn"]),
                       "m.yaml: model.name: must be one of 'tfn', 'se3_transformer', 'escn'; got 'segnn' (from --set model.name=segnn)")
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
        XCTAssertEqual(c.model.architecture(as: TFNConfig.self)?.channels, 8)
        XCTAssertEqual(c.model.architecture(as: TFNConfig.self)?.lmax, 2)
        XCTAssertEqual(c.distributed.sync, .parameters)
        XCTAssertEqual(c.checkpoint.keepLast, 3)
        XCTAssertEqual(c.data.minDistance, 0.1)
        XCTAssertEqual(c.neighborList.minDistance, 0.1)
        XCTAssertNil(c.data.maxAtomsPerStructure)
        XCTAssertNil(c.data.test)
        XCTAssertEqual(try TrainConfig.parse(yaml: minimal, file: "m.yaml", overrides: ["data.test=t"]).data.test, "t")
        // Round trip through YAML.
        let again = try TrainConfig.parse(yaml: try c.yaml(), file: "again.yaml")
        XCTAssertEqual(again, c)
    }

    /// `checkpoint.every_steps`, `checkpoint.every_minutes` (unset by default) and
    /// `distributed.timeout_s` (30 minutes by default): decoded, round-tripped and checked.
    func testCheckpointCadenceAndTimeoutKeys() throws {
        let d = try TrainConfig.parse(yaml: minimal, file: "m.yaml")
        XCTAssertNil(d.checkpoint.everySteps)
        XCTAssertNil(d.checkpoint.everyMinutes)
        XCTAssertEqual(d.distributed.timeoutSeconds, 1800)
        let c = try TrainConfig.parse(yaml: minimal, file: "m.yaml", overrides: [
            "checkpoint.every_steps=500", "checkpoint.every_minutes=30", "distributed.timeout_s=120"])
        XCTAssertEqual(c.checkpoint.everySteps, 500)
        XCTAssertEqual(c.checkpoint.everyMinutes, 30)
        XCTAssertEqual(c.distributed.timeoutSeconds, 120)
        XCTAssertEqual(try TrainConfig.parse(yaml: try c.yaml(), file: "again.yaml"), c)
        for (override, key) in [("checkpoint.every_steps=0", "checkpoint.every_steps"), ("checkpoint.every_minutes=0", "checkpoint.every_minutes"),
                                (("checkpoint.every_minutes=-1"), "checkpoint.every_minutes"), ("distributed.timeout_s=0", "distributed.timeout_s"),
                                ("checkpoint.every_step=5", "checkpoint.every_step")] {
            XCTAssertThrowsError(try TrainConfig.parse(yaml: minimal, file: "m.yaml", overrides: [override]), override) { e in
                XCTAssertEqual((e as? ConfigError)?.key, key, override)
            }
        }
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
            ("data.min_distance=-0.1", "data.min_distance"), ("data.max_atoms_per_structure=0", "data.max_atoms_per_structure"),
            ("data.max_edges_per_structure=0", "data.max_edges_per_structure"), ("training.max_bad_steps=-1", "training.max_bad_steps"),
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
