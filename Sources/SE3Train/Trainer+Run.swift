import Foundation
import SE3Data
import SE3Distributed

extension Trainer {
    /// Trains until `training.epochs` (or `max_steps`) are done, or until a stop is requested.
    ///
    /// Per step: see `trainStep`. Every `log_every` steps rank 0 shows the progress line and appends
    /// `{"type":"step", step, epoch, loss, lr, mol_per_s, grad_norm, checksum}` to `metrics.jsonl`.
    /// After each epoch: validation (EMA weights), the plateau schedule, an epoch record
    /// `{"type":"epoch", epoch, step, train_loss, val_loss, val: {target: {mae, rmse, …}}, lr, checksum}`,
    /// a checkpoint every `checkpoint.every_epochs` epochs and at the end (and inside epochs after
    /// `checkpoint.every_steps` / `every_minutes`, see `CheckpointCadence`), and `best.h5` when the
    /// validation loss improved. A stop request (SIGTERM/SIGINT on any rank, or `stopAfterSteps`
    /// reached) is agreed on in the step's allreduce: all ranks finish that step, rank 0 writes a
    /// checkpoint at the exact sampler position, and `run` returns with `stopped == true`.
    /// Rank 0 redraws `<run>/curves.svg` (`LossCurves`) after each epoch record.
    public func run(runDirectory: RunDirectory?, stopAfterSteps: Int? = nil, showProgress: Bool = true) throws -> TrainSummary {
        let root = comm.isRoot
        var logger: MetricsLogger? = nil
        if let dir = runDirectory, root {
            try dir.create()
            try AtomicFile.write(Data(try config.yaml().utf8), to: dir.configPath)
            try Self.truncateMetrics(dir.metricsPath, afterStep: step)
            logger = try MetricsLogger(path: dir.metricsPath, enabled: true)
            if step > 0 { logger?.log(["type": "resume", "step": step, "epoch": epoch, "ranks": comm.size]) }
        }
        let progress = ProgressLine(totalSteps: totalSteps, startStep: step)
        let logEvery = config.training.logEvery
        var summary = TrainSummary(steps: step, epochs: epoch, stopped: false, checkpoint: nil, validation: nil,
                                   checksum: "", firstLoss: nil, lastLoss: nil)
        var windowStart = Date()
        var windowMolecules = 0.0
        var lastCheckpointStep = -1
        var lastLR = 0.0
        var cadence = CheckpointCadence(config: config.checkpoint, step: step)
        var cadenceDue = false   // checkpoint.every_steps / every_minutes, agreed in the last step

        func publish(best: Bool) throws {
            cadence.reset(step: step)
            cadenceDue = false
            try synchronizeModels()
            guard let dir = runDirectory else { return }
            if root {
                summary.checkpoint = try dir.publish(try checkpoint(), keepLast: config.checkpoint.keepLast, isBest: best)
            }
            lastCheckpointStep = step
        }

        /// A step `trainStep` skipped (a non-finite gradient or loss, on every rank alike): logged,
        /// and an error once more than `training.max_bad_steps` were skipped.
        func skipped(_ totals: StepTotals, norm: Double, batch: [GlobalIndex]) throws {
            skippedSteps += 1
            if root {
                logger?.log(["type": "skipped_step", "step": step, "epoch": epoch + 1, "loss": totals.meanLoss,
                             "grad_norm": norm, "skipped_steps": skippedSteps])
            }
            guard skippedSteps <= config.training.maxBadSteps else {
                let rows = batch.map { "\(loader.sources[$0.shard].sourceName)#\($0.index)" }
                throw CheckpointError(file: configFile, field: "training.max_bad_steps",
                                      "step \(step) (epoch \(epoch + 1)) had a non-finite gradient (norm \(norm), loss \(totals.meanLoss)): \(skippedSteps) skipped steps, more than training.max_bad_steps (\(config.training.maxBadSteps)); parameters are those before the step. This rank's batch: \(rows.joined(separator: ", "))")
            }
        }

        epochs: while epoch < config.training.epochs && step < totalSteps {
            let plan = sampler.batches(epoch: epoch)
            while stepInEpoch < plan.count && step < totalSteps {
                let batch = try self.batch(epoch: epoch, index: stepInEpoch, plan: plan)
                let stopHere = StopSignal.requested || (stopAfterSteps.map { step + 1 >= $0 } ?? false)
                let (totals, lr, norm) = try trainStep(batch, stop: stopHere, checkpoint: cadence.timeIsUp())
                stepInEpoch += 1
                cadenceDue = cadence.isDue(step: step, timeIsUp: totals.checkpoint)
                if totals.skipped {   // identical on every rank
                    try skipped(totals, norm: norm, batch: plan[stepInEpoch - 1])
                } else {
                    epochLossSum += totals.lossSum
                    epochCount += totals.count
                    windowMolecules += totals.count
                    lastLR = lr
                    if summary.firstLoss == nil { summary.firstLoss = totals.meanLoss }
                    summary.lastLoss = totals.meanLoss
                    if step % logEvery == 0 || totals.stop || step == totalSteps {
                        let elapsed = max(Date().timeIntervalSince(windowStart), 1e-9)
                        let rate = windowMolecules / elapsed
                        windowStart = Date()
                        windowMolecules = 0
                        if root {
                            let fractionalEpoch = Double(epoch) + Double(stepInEpoch) / Double(max(1, plan.count))
                            logger?.log(["type": "step", "step": step, "epoch": fractionalEpoch, "loss": totals.meanLoss,
                                         "lr": lr, "mol_per_s": rate, "grad_norm": norm, "checksum": parameterChecksum(store.values)])
                            if showProgress {
                                progress.show(progress.render(epoch: epoch + 1, epochs: config.training.epochs, step: step,
                                                              loss: totals.meanLoss, lr: lr, moleculesPerSecond: rate))
                            }
                        }
                    }
                }
                if totals.stop {
                    try publish(best: false)
                    summary.stopped = true
                    break epochs
                }
                // Due at an epoch's (or the run's) last step: written after validation below.
                if cadenceDue && stepInEpoch < plan.count && step < totalSteps { try publish(best: false) }
            }
            guard stepInEpoch >= plan.count else { break }   // max_steps reached inside the epoch
            // End of epoch.
            try synchronizeModels()
            let validation = try validate()
            summary.validation = validation
            var improved = false
            if let v = validation, v.loss.isFinite {
                schedule.observe(validationLoss: v.loss)
                if v.loss < bestValidationLoss { bestValidationLoss = v.loss; improved = true }
            }
            let trainLoss = epochCount > 0 ? epochLossSum / epochCount : Double.nan
            epoch += 1
            stepInEpoch = 0
            epochLossSum = 0
            epochCount = 0
            if root {
                var record: [String: Any] = ["type": "epoch", "epoch": epoch, "step": step, "train_loss": trainLoss,
                                             "lr": lastLR, "checksum": parameterChecksum(store.values)]
                if let v = validation { record["val_loss"] = v.loss; record["val"] = v.jsonObject }
                logger?.log(record)
                if let dir = runDirectory { try LossCurves.write(runs: [dir.path], to: dir.curvesPath) }
                if showProgress {
                    var line = String(format: "epoch %d/%d done  step %d  train loss %.4f", epoch, config.training.epochs, step, trainLoss)
                    if let v = validation {
                        line += String(format: "  val loss %.4f", v.loss)
                        for t in v.targets { line += String(format: "  %@ MAE %.4g %@", t.name, t.mae, t.units) }
                    }
                    progress.show(line, final: true)
                }
            }
            let last = epoch >= config.training.epochs || step >= totalSteps
            if epoch % config.checkpoint.everyEpochs == 0 || last || cadenceDue {
                try publish(best: improved)
            } else if improved, root, let dir = runDirectory {
                try AtomicFile.replace(dir.bestPath) { try checkpoint().write(to: $0) }
            }
        }
        if !summary.stopped && lastCheckpointStep != step {
            // Ended inside an epoch (max_steps): report validation, checkpoint the exact position.
            summary.validation = try validate()
            try publish(best: false)
        }
        try synchronizeModels()
        summary.steps = step
        summary.epochs = epoch
        summary.checksum = parameterChecksum(store.values)
        return summary
    }

    /// `sync: parameters`: averages the models unless this step just did (epoch ends, checkpoints
    /// and the end of the run always see identical parameters on every rank). A no-op otherwise.
    func synchronizeModels() throws {
        if config.distributed.sync == .parameters && step % config.distributed.averageEvery != 0 {
            try averageParameters()
        }
    }

    /// Drops records after `step` from a metrics file (a resumed run re-logs them).
    static func truncateMetrics(_ path: String, afterStep step: Int) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        guard step > 0 else { try AtomicFile.write(Data(), to: path); return }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var kept: [Substring] = []
        for line in text.split(separator: "\n") {
            let obj = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            if let s = obj?["step"] as? Int, s > step { continue }
            kept.append(line)
        }
        try AtomicFile.write(Data((kept.joined(separator: "\n") + (kept.isEmpty ? "" : "\n")).utf8), to: path)
    }
}
