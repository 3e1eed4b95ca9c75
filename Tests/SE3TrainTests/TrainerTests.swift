import SE3Config
import XCTest
import Foundation
import SE3Data
import SE3Distributed
import SE3Models
import SE3Train

/// In-process end-to-end runs of `Trainer` with the small test model.
final class TrainerTests: XCTestCase {
    var dir = ""
    var train = ""
    var val = ""

    override func setUpWithError() throws {
        dir = TestData.scratch("trainer")
        train = try TestData.write(TestData.structures(count: 96, seed: 1), to: dir + "/train", shards: 2)
        val = try TestData.write(TestData.structures(count: 24, seed: 2, firstID: 1000), to: dir + "/val.h5")
        StopSignal.set(false)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func config(_ extra: [String] = []) throws -> TrainConfig {
        let yaml = """
        model: {name: tfn, cutoff: 3.0, elements: [1, 6, 7, 8]}
        data: {train: \(train), val: \(val), batch_size: 8}
        targets:
          - {name: y, extensive: true}
          - {name: mu, weight: 0.5}
          - {name: q}
        training: {epochs: 3, lr: 0.01, warmup_steps: 4, log_every: 1, ema_decay: 0.9, seed: 5}
        checkpoint: {keep_last: 2}
        """
        return try TrainConfig.parse(yaml: yaml, file: "test.yaml", overrides: extra)
    }

    func trainer(_ c: TrainConfig, resume: String? = nil) throws -> Trainer<Float> {
        let r = try resume.map { (checkpoint: try Checkpoint.read(path: $0), file: $0) }
        return try Trainer<Float>(config: c, configFile: "test.yaml", comm: SingleProcessCommunicator(),
                           makeModel: TinyModel<Float>.maker(), resume: r)
    }

    func stepLosses(_ run: RunDirectory) throws -> [Int: Double] {
        var out: [Int: Double] = [:]
        for r in try MetricsLogger.read(path: run.metricsPath) where r["type"] as? String == "step" {
            out[r["step"] as! Int] = r["loss"] as? Double
        }
        return out
    }

    func testTrainingLearnsAndWritesRunDirectory() throws {
        let run = RunDirectory(path: dir + "/run")
        let t = try trainer(try config(["training.epochs=25"]))
        XCTAssertEqual(t.stepsPerEpoch, 12)
        let summary = try t.run(runDirectory: run, showProgress: false)
        XCTAssertEqual(summary.steps, 300)
        XCTAssertFalse(summary.stopped)
        let records = try MetricsLogger.read(path: run.metricsPath)
        let epochs = records.filter { $0["type"] as? String == "epoch" }
        XCTAssertEqual(epochs.count, 25)
        let first = epochs.first!["train_loss"] as! Double, last = epochs.last!["train_loss"] as! Double
        XCTAssertLessThan(last, 0.7 * first, "training loss fell")
        let v = try XCTUnwrap(summary.validation)
        for target in v.targets { XCTAssertLessThan(target.mae, 0.6 * target.baselineMAE, "\(target.name) beats the mean predictor") }
        XCTAssertEqual(run.checkpointFiles().count, 2, "keep_last")
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.bestPath))
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.configPath))
        let ckpt = try Checkpoint.read(path: try XCTUnwrap(run.latestCheckpoint()))
        XCTAssertEqual(ckpt.step, 300)
        XCTAssertEqual(ckpt.epoch, 25)
        XCTAssertEqual(parameterChecksum(ckpt.values.map(Float.init)), summary.checksum)
        XCTAssertEqual(try ckpt.config(file: "x").training.epochs, 25)
    }

    /// Stop after 17 steps (inside epoch 2), resume from the run directory: every logged loss and
    /// the final parameters equal those of an uninterrupted run.
    func testResumeEqualsUninterruptedRun() throws {
        let a = RunDirectory(path: dir + "/a"), b = RunDirectory(path: dir + "/b")
        let full = try trainer(try config()).run(runDirectory: a, showProgress: false)
        let stopped = try trainer(try config()).run(runDirectory: b, stopAfterSteps: 17, showProgress: false)
        XCTAssertTrue(stopped.stopped)
        XCTAssertEqual(stopped.steps, 17)
        let (file, run) = try RunDirectory.resolveCheckpoint(b.path)
        XCTAssertEqual(run, b)
        let ckpt = try Checkpoint.read(path: file)
        XCTAssertEqual(ckpt.step, 17)
        XCTAssertEqual(ckpt.epoch, 1)
        XCTAssertEqual(ckpt.stepInEpoch, 5)
        let resumed = try trainer(try ckpt.config(file: file), resume: file).run(runDirectory: b, showProgress: false)
        XCTAssertEqual(resumed.steps, full.steps)
        XCTAssertEqual(resumed.checksum, full.checksum, "bit-identical final parameters")
        let la = try stepLosses(a), lb = try stepLosses(b)
        XCTAssertEqual(la.count, 36)
        XCTAssertEqual(lb, la, "every step's loss after resuming equals the uninterrupted run")
        let ea = try MetricsLogger.read(path: a.metricsPath).filter { $0["type"] as? String == "epoch" }
        let eb = try MetricsLogger.read(path: b.metricsPath).filter { $0["type"] as? String == "epoch" }
        XCTAssertEqual(ea.map { $0["val_loss"] as! Double }, eb.map { $0["val_loss"] as! Double })
        XCTAssertEqual(ea.map { $0["train_loss"] as! Double }, eb.map { $0["train_loss"] as! Double })
    }

    /// `training.dtype: float64`: the run computes and stores in Double (checkpoint arrays float64),
    /// learns, and resumes bit for bit; a float32 config cannot resume it.
    func testFloat64RunResumesExactly() throws {
        func trainer64(_ c: TrainConfig, resume: String? = nil) throws -> Trainer<Double> {
            let r = try resume.map { (checkpoint: try Checkpoint.read(path: $0), file: $0) }
            return try Trainer<Double>(config: c, configFile: "test.yaml", comm: SingleProcessCommunicator(),
                                       makeModel: TinyModel<Float>.maker(), resume: r)
        }
        let c = try config(["training.dtype=float64"])
        XCTAssertEqual(c.training.dtype, .float64)
        let a = RunDirectory(path: dir + "/f64a"), b = RunDirectory(path: dir + "/f64b")
        let full = try trainer64(c).run(runDirectory: a, showProgress: false)
        let losses = try stepLosses(a)
        XCTAssertLessThan((31...36).map { losses[$0]! }.reduce(0, +), (1...6).map { losses[$0]! }.reduce(0, +), "the loss falls")
        _ = try trainer64(c).run(runDirectory: b, stopAfterSteps: 17, showProgress: false)
        let file = try XCTUnwrap(b.latestCheckpoint())
        let ckpt = try Checkpoint.read(path: file)
        XCTAssertEqual(ckpt.dtype, .float64)
        XCTAssertTrue(ckpt.values.contains { Double(Float($0)) != $0 }, "values beyond Float precision survive the file")
        let resumed = try trainer64(try ckpt.config(file: file), resume: file).run(runDirectory: b, showProgress: false)
        XCTAssertEqual(resumed.checksum, full.checksum, "bit-identical final parameters")
        XCTAssertEqual(try stepLosses(b), try stepLosses(a))
        // the launcher refuses to continue it in another precision
        XCTAssertThrowsError(try TrainingLauncher.run(configPath: nil, overrides: ["training.dtype=float32"], runDirectory: nil,
                                                      resume: try XCTUnwrap(b.latestCheckpoint()), comm: SingleProcessCommunicator(),
                                                      makeModel: TinyModel<Float>.maker(), showProgress: false)) { e in
            XCTAssertEqual((e as? ConfigError)?.key, "training.dtype", "\(e)")
        }
    }

    /// Issue #11 item 5: a checkpoint written by 2 ranks does not resume on 1 (its step would be
    /// read against another epoch length and data order); the error names both numbers.
    func testResumeOnAnotherNumberOfRanksIsRefused() throws {
        let run = RunDirectory(path: dir + "/ranks")
        _ = try trainer(try config()).run(runDirectory: run, stopAfterSteps: 5, showProgress: false)
        let file = try XCTUnwrap(run.latestCheckpoint())
        var ckpt = try Checkpoint.read(path: file)
        XCTAssertEqual(ckpt.worldSize, 1)
        ckpt.worldSize = 2
        let twoRanks = dir + "/two-ranks.h5"
        try ckpt.write(to: twoRanks)
        XCTAssertThrowsError(try trainer(try ckpt.config(file: twoRanks), resume: twoRanks)) { e in
            let error = e as? CheckpointError
            XCTAssertEqual(error?.file, twoRanks)
            XCTAssertEqual(error?.field, "/ (attribute world_size)")
            let text = String(describing: e)
            for m in ["a run on 2 ranks", "this run has 1 rank", "mpirun -np 2"] { XCTAssertTrue(text.contains(m), text) }
        }
        XCTAssertNoThrow(try trainer(try ckpt.config(file: file), resume: file), "the same number of ranks resumes")
    }

    /// `checkpoint.every_steps=5` with 12 steps per epoch: a checkpoint 5 steps after the last one
    /// of any kind (epoch ends included); resuming from one inside an epoch continues exactly.
    /// `checkpoint.every_minutes` tiny: one after every step.
    func testCheckpointsEveryStepsAndMinutes() throws {
        let a = RunDirectory(path: dir + "/steps")
        let full = try trainer(try config(["checkpoint.every_steps=5", "checkpoint.keep_last=50"])).run(runDirectory: a, showProgress: false)
        XCTAssertEqual(full.steps, 36)
        XCTAssertEqual(a.checkpointFiles().map(\.step), [5, 10, 12, 17, 22, 24, 29, 34, 36])
        let mid = a.checkpointPath(step: 17)
        let ckpt = try Checkpoint.read(path: mid)
        XCTAssertEqual(ckpt.epoch, 1)
        XCTAssertEqual(ckpt.stepInEpoch, 5)
        let b = RunDirectory(path: dir + "/steps-resumed")
        let resumed = try trainer(try ckpt.config(file: mid), resume: mid).run(runDirectory: b, showProgress: false)
        XCTAssertEqual(resumed.checksum, full.checksum, "resuming from a step checkpoint equals the uninterrupted run")

        let m = RunDirectory(path: dir + "/minutes")
        _ = try trainer(try config(["checkpoint.every_minutes=1e-9", "checkpoint.keep_last=50", "training.epochs=1"]))
            .run(runDirectory: m, showProgress: false)
        XCTAssertEqual(m.checkpointFiles().map(\.step), Array(1...12))
    }

    /// Issue #11 item 8: `avg_num_neighbors` is measured on structures spread over the whole
    /// training set, not its first rows (QM9's files start with the smallest molecules). Here the
    /// first half of the set has isolated atoms (no edges), the second half triangles (2 each).
    func testAverageNeighborsSamplesTheWholeSet() throws {
        func triangle(_ id: Int64, spacing: Double) -> Structure {
            Structure(atomicNumbers: [6, 1, 1], positions: [SIMD3(0, 0, 0), SIMD3(spacing, 0, 0), SIMD3(0, spacing, 0)], id: id,
                      graphTargets: ["y": [0], "mu": [0, 0, 0]], atomTargets: ["q": [0, 0, 0]])
        }
        let sorted = (0..<100).map { triangle(Int64($0), spacing: $0 < 50 ? 8 : 1.2) }
        let path = try TestData.write(sorted, to: dir + "/sorted.h5")
        let data = try Dataset(path: path)
        let model = try config().model
        XCTAssertEqual(try Trainer<Float>.averageNeighbors(data, model: model), 1, "all 100 rows: 300 edges / 300 atoms")
        XCTAssertEqual(try Trainer<Float>.averageNeighbors(data, model: model, limit: 10), 1, "10 rows from every part of the set")
        XCTAssertEqual(try Trainer<Float>.averageNeighbors(data, model: model, limit: 7), 8.0 / 7, accuracy: 1e-12, "rows 7, 21, 35 of the first half, 50, 64, 78, 92 of the second")
    }

    func testStopSignalCheckpointsAndReturns() throws {
        let run = RunDirectory(path: dir + "/sig")
        StopSignal.set(true)
        defer { StopSignal.set(false) }
        let s = try trainer(try config()).run(runDirectory: run, showProgress: false)
        XCTAssertTrue(s.stopped)
        XCTAssertEqual(s.steps, 1, "finishes the step in progress, then stops")
        XCTAssertEqual(try Checkpoint.read(path: try XCTUnwrap(run.latestCheckpoint())).step, 1)
    }

    func testEvaluationMetricsAndPredictionsFile() throws {
        let run = RunDirectory(path: dir + "/eval")
        let summary = try trainer(try config(["training.epochs=1"])).run(runDirectory: run, showProgress: false)
        let ckpt = try XCTUnwrap(run.latestCheckpoint())
        let out = dir + "/pred.h5"
        let r = try CheckpointEvaluation.run(checkpointPath: ckpt, dataPath: val, predictionsPath: out,
                                             comm: SingleProcessCommunicator(), makeModel: TinyModel<Float>.maker())
        XCTAssertEqual(r.structures, 24)
        // evaluation on the validation set equals the trainer's own validation (EMA weights)
        for (a, b) in zip(r.metrics.targets, summary.validation!.targets) {
            XCTAssertEqual(a.mae, b.mae, accuracy: 1e-12 + 1e-9 * b.mae, a.name)
            XCTAssertEqual(a.rmse, b.rmse, accuracy: 1e-12 + 1e-9 * b.rmse, a.name)
        }
        let truth = try Dataset(path: val), pred = try Dataset(path: out)
        XCTAssertEqual(pred.count, truth.count)
        XCTAssertEqual(pred.targets.map(\.name).sorted(), ["mu", "q", "y"])
        let ts = try truth.read(0..<truth.count), ps = try pred.read(0..<pred.count)
        var abs = 0.0, n = 0.0
        for (t, p) in zip(ts, ps) {
            XCTAssertEqual(t.id, p.id)
            XCTAssertEqual(t.atomicNumbers, p.atomicNumbers)
            XCTAssertEqual(t.positions, p.positions)
            XCTAssertEqual(p.atomTargets["q"]?.count, t.atomCount)
            XCTAssertEqual(p.graphTargets["mu"]?.count, 3)
            abs += Swift.abs(p.graphTargets["y"]![0] - t.graphTargets["y"]![0]); n += 1
        }
        XCTAssertEqual(abs / n, r.metrics.targets.first { $0.name == "y" }!.mae, accuracy: 1e-9)
    }

    func testAverageNeighborsIsMeasuredAndRecorded() throws {
        let t = try trainer(try config())
        let structures = try Dataset(path: train).read(0..<96)
        var atoms = 0, edges = 0
        for s in structures { atoms += s.atomCount; edges += try NeighborList(cutoff: 3).edges(for: s).count }
        XCTAssertEqual(try XCTUnwrap(t.config.model.common.averageNeighbors), Double(edges) / Double(atoms), accuracy: 0.5e-4)
        XCTAssertEqual(try TrainConfig.parse(yaml: try t.checkpoint().configYAML, file: "c").model.common.averageNeighbors,
                       t.config.model.common.averageNeighbors)
        let fixed = try trainer(try config(["model.avg_num_neighbors=7.5"]))
        XCTAssertEqual(fixed.config.model.common.averageNeighbors, 7.5)
    }

    /// `data.max_atoms` splits a step into micro-batches whose gradients add up to the whole step's.
    func testMicroBatchesGiveTheSameGradient() throws {
        let whole = try trainer(try config()), capped = try trainer(try config(["data.max_atoms=20"]))
        let plan = whole.sampler.batches(epoch: 0)
        let one = try whole.batch(epoch: 0, index: 0, plan: plan), many = try capped.batch(epoch: 0, index: 0, plan: plan)
        XCTAssertEqual(one.count, 1)
        XCTAssertGreaterThan(many.count, 1)
        XCTAssertEqual(many.reduce(0) { $0 + $1.graphCount }, 8)
        XCTAssertTrue(many.allSatisfy { $0.atomCount <= 20 || $0.graphCount == 1 })
        XCTAssertEqual(whole.store.values, capped.store.values)
        let l1 = try whole.accumulateGradients(one), l2 = try capped.accumulateGradients(many)
        XCTAssertEqual(l1, l2, accuracy: 1e-5 * l1)
        let scale = whole.store.grads.map { Swift.abs($0) }.max()!
        for (a, b) in zip(whole.store.grads, capped.store.grads) { XCTAssertEqual(a, b, accuracy: 1e-5 * scale) }
    }

    func testNonFiniteTargetsAreNamed() throws {
        var structures = TestData.structures(count: 24, seed: 8)
        structures[5].graphTargets["y"] = [.nan]
        let bad = try TestData.write(structures, to: dir + "/bad.h5")
        // computed statistics
        XCTAssertThrowsError(try trainer(try config(["data.train=\(bad)"]))) { e in
            XCTAssertEqual((e as? DataError)?.field, "/graph/y", "\(e)")
            XCTAssertTrue("\(e)".contains("bad.h5"), "\(e)")
        }
        // a validation set with a NaN target: named when validation reaches it
        let t = try trainer(try config(["data.val=\(bad)", "training.max_steps=1"]))
        XCTAssertThrowsError(try t.run(runDirectory: nil, showProgress: false)) { e in
            XCTAssertEqual((e as? DataError)?.field, "/graph/y", "\(e)")
            XCTAssertTrue("\(e)".contains("structure 5"), "\(e)")
        }
    }

    func testDataErrorsNameFileAndField() throws {
        XCTAssertThrowsError(try trainer(try config(["targets=[{name: nope}]"]))) { e in
            let d = e as? DataError
            XCTAssertEqual(d?.field, "/graph/nope")
            XCTAssertTrue(d?.file.hasPrefix(self.train) ?? false, "\(e)")
        }
        XCTAssertThrowsError(try trainer(try config(["model.elements=[1, 6, 7]"]))) { e in
            let d = e as? DataError
            XCTAssertEqual(d?.field, "/atomic_numbers")
            XCTAssertTrue("\(e)".contains("Z = 8"), "\(e)")
        }
        XCTAssertThrowsError(try trainer(try config(["data.val=\(dir)/missing.h5"]))) { e in
            XCTAssertTrue("\(e)".contains("missing.h5"), "\(e)")
        }
        XCTAssertThrowsError(try trainer(try config(["data.batch_size=100"]))) { e in
            XCTAssertEqual((e as? ConfigError)?.key, "data.batch_size")
        }
    }
}
