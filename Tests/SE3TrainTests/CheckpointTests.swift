import XCTest
import Foundation
import SE3HDF5
import SE3Models
import SE3Tensor
import SE3Train

final class CheckpointTests: XCTestCase {
    var dir = ""

    override func setUp() { dir = TestData.scratch("ckpt") }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    static let yaml = """
    model: {name: tfn, elements: [1, 6, 7, 8]}
    data: {train: train.h5}
    targets: [{name: y, extensive: true}]
    training: {epochs: 2}
    """

    func sample(step: Int = 7, ema: Bool = true) -> Checkpoint {
        let layout = [Parameter(name: "embedding", offset: 0, shape: [4, 3]),
                      Parameter(name: "layers/0/radial/w", offset: 12, shape: [2, 2, 2]),
                      Parameter(name: "bias", offset: 20, shape: []),
                      Parameter(name: "empty", offset: 21, shape: [2, 0]),
                      Parameter(name: "layers/0/gate", offset: 21, shape: [5])]
        let n = 26
        func buffer(_ k: Float) -> [Float] { (0..<n).map { Float($0) * k + 0.125 } }
        var schedule = LearningRateSchedule(kind: .plateau, peak: 1e-3, minLR: 1e-6, warmupSteps: 3, totalSteps: 100)
        schedule.observe(validationLoss: 0.5)
        return Checkpoint(configYAML: Self.yaml,
                          normalizer: TargetNormalizer(targets: [.init(name: "y", level: .graph, kind: .scalar, units: "eV",
                                                                       extensive: true, mean: 0.1, std: 2,
                                                                       elementReferences: (0..<119).map { Double($0) })]),
                          parameters: layout, values: buffer(1), adamM: buffer(-0.5), adamV: buffer(0.25), adamStep: step,
                          emaWeights: ema ? buffer(0.75) : nil, emaUpdates: ema ? step : 0, step: step, epoch: 1,
                          stepInEpoch: 3, rngState: [1, .max, 3, 1 << 63], schedule: schedule,
                          bestValidationLoss: ema ? 0.5 : .infinity, epochLossSum: 12.5, epochCount: 48, worldSize: 2)
    }

    func testRoundTrip() throws {
        for ema in [true, false] {
            let c = sample(ema: ema)
            let path = dir + "/c\(ema).h5"
            try c.write(to: path)
            let back = try Checkpoint.read(path: path)
            XCTAssertEqual(back, c)
            XCTAssertEqual(try back.config(file: path).targets.first?.extensive, true)
            // one dataset per parameter, by name, in its shape
            let f = try HDF5File(path: path)
            XCTAssertEqual(try f.openDataset("parameters/layers/0/radial/w").shape, [2, 2, 2])
            XCTAssertEqual(try f.openDataset("parameters/bias").read(as: Float.self), [20.125])
            XCTAssertEqual(f.exists("ema"), ema)
            XCTAssertEqual(try f.stringAttribute("config"), Self.yaml)
            try f.close()
        }
    }

    func testMissingDatasetAndCorruptFileNameTheFile() throws {
        let path = dir + "/c.h5"
        try sample().write(to: path)
        let f = try HDF5File(path: path, mode: .readWrite)
        try f.deleteMember("optimizer/m/layers/0/gate")
        try f.close()
        XCTAssertThrowsError(try Checkpoint.read(path: path)) { e in
            XCTAssertEqual((e as? CheckpointError)?.file, path)
            XCTAssertEqual((e as? CheckpointError)?.field, "/optimizer/m/layers/0/gate")
        }
        let garbage = dir + "/garbage.h5"
        try Data("not hdf5".utf8).write(to: URL(fileURLWithPath: garbage))
        XCTAssertThrowsError(try Checkpoint.read(path: garbage)) { e in XCTAssertTrue("\(e)".contains(garbage), "\(e)") }
        // truncated
        let good = dir + "/good.h5"
        try sample().write(to: good)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        let cut = dir + "/cut.h5"
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: cut))
        XCTAssertThrowsError(try Checkpoint.read(path: cut)) { e in XCTAssertTrue("\(e)".contains(cut), "\(e)") }
        XCTAssertThrowsError(try Checkpoint.read(path: dir + "/none.h5")) { e in
            XCTAssertTrue("\(e)".contains("none.h5"), "\(e)")
        }
    }

    func testLayoutCheckNamesParameter() throws {
        let c = sample()
        let store = ParameterStore<Float>(parameters: [Parameter(name: "embedding", offset: 0, shape: [4, 4])],
                                          values: [Float](repeating: 0, count: 16))
        XCTAssertThrowsError(try c.checkLayout(matches: store, file: "x.h5")) { e in
            XCTAssertEqual((e as? CheckpointError)?.field, "/parameters/embedding")
        }
        let same = ParameterStore<Float>(parameters: c.parameters, values: c.values.map(Float.init))
        XCTAssertNoThrow(try c.checkLayout(matches: same, file: "x.h5"))
    }

    func testAtomicReplaceLeavesNoPartialFile() throws {
        let path = dir + "/target.h5"
        try sample(step: 1).write(to: path)
        struct Boom: Error {}
        XCTAssertThrowsError(try AtomicFile.replace(path) { tmp in
            try Data("partial".utf8).write(to: URL(fileURLWithPath: tmp))
            throw Boom()
        })
        XCTAssertEqual(try Checkpoint.read(path: path).step, 1, "the old file is intact")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["target.h5"], "no temporary file left")
        try AtomicFile.replace(path) { try sample(step: 2).write(to: $0) }
        XCTAssertEqual(try Checkpoint.read(path: path).step, 2)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["target.h5"])
    }

    /// A failed fsync (test-only `SE3_FAULT_FSYNC`, as a failing disk) fails the publish: no new
    /// step file, no temporary file, and `latest` still names the previous checkpoint.
    func testFailedFsyncKeepsThePreviousCheckpointNewest() throws {
        let run = RunDirectory(path: dir + "/run")
        try run.create()
        try run.publish(sample(step: 10), keepLast: 1, isBest: false)
        setenv("SE3_FAULT_FSYNC", "step-00000020", 1)
        defer { unsetenv("SE3_FAULT_FSYNC") }
        XCTAssertThrowsError(try run.publish(sample(step: 20), keepLast: 1, isBest: true)) { e in
            let text = String(describing: e)
            XCTAssertTrue(text.contains("step-00000020.h5") && text.contains("fsync failed"), text)
        }
        XCTAssertEqual(run.latestCheckpoint(), run.checkpointPath(step: 10))
        XCTAssertEqual(try Checkpoint.read(path: try RunDirectory.resolveCheckpoint(run.path).file).step, 10)
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: run.checkpointsDirectory)),
                       ["step-00000010.h5", "latest"], "no new, partial or temporary file")
        unsetenv("SE3_FAULT_FSYNC")
        try run.publish(sample(step: 20), keepLast: 1, isBest: false)
        XCTAssertEqual(run.latestCheckpoint(), run.checkpointPath(step: 20))
    }

    func testKeepLastRotationBestAndLatest() throws {
        let run = RunDirectory(path: dir + "/run")
        try run.create()
        for s in 1...5 { try run.publish(sample(step: s * 10), keepLast: 2, isBest: s == 2) }
        XCTAssertEqual(run.checkpointFiles().map(\.step), [40, 50])
        XCTAssertEqual(run.latestCheckpoint(), run.checkpointPath(step: 50))
        XCTAssertEqual(try Checkpoint.read(path: run.bestPath).step, 20)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: run.checkpointsDirectory))
        XCTAssertEqual(names, ["step-00000040.h5", "step-00000050.h5", "best.h5", "latest"])
        XCTAssertEqual(try RunDirectory.resolveCheckpoint(run.path).file, run.checkpointPath(step: 50))
        XCTAssertEqual(try RunDirectory.resolveCheckpoint(run.checkpointsDirectory).run, run)
        let explicit = try RunDirectory.resolveCheckpoint(run.checkpointPath(step: 40))
        XCTAssertEqual(explicit.file, run.checkpointPath(step: 40))
        XCTAssertEqual(explicit.run, run)
        XCTAssertThrowsError(try RunDirectory.resolveCheckpoint(dir + "/nope"))
    }
}
