import SE3Config
import Foundation
import SE3Data
import SE3Distributed
import SE3Math
import SE3Models
import SE3Tensor

/// Data-parallel training of a `GraphModel` (seed eq. references in the model files).
///
/// Every rank constructs a `Trainer` with the same config and its `Communicator` (a
/// `SingleProcessCommunicator` for a plain run: the code never branches on "am I distributed").
/// Construction opens and checks the data, builds the normaliser (rank 0, broadcast), the model
/// (rank 0's initial weights broadcast to all) or restores a checkpoint. `run` then loops over
/// epochs; see `GradientSynchronizer` for the per-step collectives and `Trainer+Run.swift` for
/// logging, validation, checkpoints and stopping.
public final class Trainer<T: TrainingScalar> {
    public let config: TrainConfig
    public let configFile: String
    public let comm: Communicator
    public let model: any GraphModel<T>
    public let normalizer: TargetNormalizer
    public let loss: LossFunction
    public let trainSet: Dataset
    public let validationSet: Dataset?
    public let sampler: EpochSampler
    public let builder: BatchBuilder
    let loader: DataLoader
    let validationLoader: DataLoader?
    let synchronizer: GradientSynchronizer<T>

    public internal(set) var adam: AdamW<T>
    public internal(set) var ema: ExponentialMovingAverage<T>?
    public internal(set) var schedule: LearningRateSchedule
    /// The trainer's random stream (checkpointed; reserved for stochastic training features —
    /// the sampler derives its shuffles from (seed, epoch, rank) and needs no state).
    public internal(set) var rng: SeededGenerator
    /// Optimiser steps taken; the next step runs step `stepInEpoch` of epoch `epoch` (0-based).
    public internal(set) var step = 0
    public internal(set) var epoch = 0
    public internal(set) var stepInEpoch = 0
    public internal(set) var bestValidationLoss = Double.infinity
    var epochLossSum = 0.0
    var epochCount = 0.0
    /// Steps skipped for a non-finite gradient in this process's run (`training.max_bad_steps`).
    public internal(set) var skippedSteps = 0
    /// Test-only fault injection: `SE3_FAULT_NAN_GRADIENT=k[,k…][@rank]` makes the local gradient
    /// NaN at steps `k` (1-based, as logged) on `rank` (default: every rank).
    let faultNaNGradientSteps: Set<Int>
    /// Test-only: `SE3_FAULT_SLEEP=k:seconds[@rank]` (`FaultInjection`).
    let faultSleep: (step: Int, seconds: Double)?
    /// Steps of the whole run: min(epochs · stepsPerEpoch, max_steps).
    public let totalSteps: Int

    public var store: ParameterStore<T> { model.store }
    public var stepsPerEpoch: Int { sampler.stepsPerEpoch }

    /// - Parameters:
    ///   - configFile: the config's path, used in error messages.
    ///   - resume: a checkpoint to continue from (its parameters, optimizer, EMA, schedule,
    ///     position and normaliser), with its file name for errors.
    public init(config original: TrainConfig, configFile: String, comm: Communicator, makeModel: ModelMaker,
                resume: (checkpoint: Checkpoint, file: String)? = nil) throws {
        var config = original
        self.configFile = configFile
        self.comm = comm
        comm.collectiveTimeout = config.distributed.timeoutSeconds
        self.loss = LossFunction(config: config)

        // Data: open, check targets and elements.
        let train = try Dataset(path: config.data.train)
        let infos = try DatasetChecks.resolveTargets(config.targets, in: train)
        try DatasetChecks.checkElements(train, elements: config.model.common.elements)
        var val: Dataset? = nil
        if let v = config.data.val {
            let d = try Dataset(path: v)
            try DatasetChecks.checkSameTargets(try DatasetChecks.resolveTargets(config.targets, in: d), reference: infos, in: d)
            try DatasetChecks.checkElements(d, elements: config.model.common.elements)
            val = d
        }
        trainSet = train
        validationSet = val

        // Normaliser: from the checkpoint, or computed on rank 0 and broadcast.
        if let r = resume {
            try r.checkpoint.checkResumable(ranks: comm.size, file: r.file)
            normalizer = r.checkpoint.normalizer
            guard normalizer.targets.map(\.name) == config.targets.map(\.name) else {
                throw CheckpointError(file: r.file, field: "/normalizer",
                                      "targets \(normalizer.targets.map(\.name)) differ from the config's \(config.targets.map(\.name))")
            }
        } else {
            var json = ""
            if comm.isRoot {
                let n = try TargetNormalizer.make(targets: config.targets, infos: infos, statistics: train.statistics,
                                                  source: train, sourceName: train.path)
                json = String(decoding: try Checkpoint.jsonEncoder().encode(n), as: UTF8.self)
            }
            json = try comm.broadcast(string: json, root: 0)
            normalizer = try Checkpoint.jsonDecoder().decode(TargetNormalizer.self, from: Data(json.utf8))
        }

        // `model.avg_num_neighbors` unset: measured on the training set (rank 0, broadcast) and
        // recorded in the config, so checkpoints and evaluation use the same value.
        if config.model.common.averageNeighbors == nil {
            var average = [0.0]
            if comm.isRoot { average[0] = try Self.averageNeighbors(train, model: config.model) }
            try comm.broadcast(&average, root: 0)
            // rounded to 4 decimals so the value survives the YAML round trip of checkpoints exactly
            if average[0] > 0 { config.model.common.averageNeighbors = (average[0] * 10_000).rounded() / 10_000 }
        }
        self.config = config

        // Model and its parameters.
        model = try makeModel.make(config.model, normalizer.outputSpecs, config.training.seed, as: T.self)
        synchronizer = GradientSynchronizer(comm: comm)
        faultNaNGradientSteps = Self.faultSteps(ProcessInfo.processInfo.environment["SE3_FAULT_NAN_GRADIENT"], rank: comm.rank)
        faultSleep = FaultInjection.sleep(ProcessInfo.processInfo.environment[FaultInjection.sleepVariable], rank: comm.rank)
        let store = model.store
        let t = config.training
        adam = AdamW(count: store.count, beta1: t.beta1, beta2: t.beta2, eps: t.eps, weightDecay: t.weightDecay)
        rng = SeededGenerator(seed: t.seed ^ 0x7472_6169_6E65_7200)
        if let r = resume {
            let c = r.checkpoint
            try c.checkLayout(matches: store, file: r.file)
            store.values = c.values.map { T($0) }
            adam.m = c.adamM.map { T($0) }
            adam.v = c.adamV.map { T($0) }
            adam.step = c.adamStep
            rng.state = c.rngState
            step = c.step
            epoch = c.epoch
            stepInEpoch = c.stepInEpoch
            bestValidationLoss = c.bestValidationLoss
            epochLossSum = c.epochLossSum
            epochCount = c.epochCount
        }
        // Rank 0's weights everywhere (fresh start: its initialisation; resume: its checkpoint).
        try synchronizer.broadcastFromRoot(&store.values)
        if t.emaDecay > 0 {
            var e = ExponentialMovingAverage(decay: t.emaDecay, initial: resume?.checkpoint.emaWeights.map { $0.map { T($0) } } ?? store.values)
            e.updates = resume?.checkpoint.emaUpdates ?? 0
            try synchronizer.broadcastFromRoot(&e.weights)
            ema = e
        }

        // Sampling: this rank's part of the training set, equal steps on every rank.
        let plan = try ShardPlan(shardSizes: train.shards.map(\.count), worldSize: comm.size, rank: comm.rank)
        sampler = try EpochSampler(plan: plan, batchSize: config.data.batchSize, seed: t.seed,
                                   shuffle: config.data.shuffle, dropLast: true,
                                   loads: try BalanceLoads.make(config.data.balance, train: train,
                                                                neighborList: config.neighborList, comm: comm))
        guard sampler.stepsPerEpoch >= 1 else {
            throw ConfigError(file: configFile, key: "data.batch_size",
                              "\(config.data.batchSize) structures per rank is more than the smallest rank part (\(plan.rankCounts.min() ?? 0) of \(train.count) structures over \(comm.size) ranks) of \(train.path)")
        }
        builder = BatchBuilder(neighborList: config.neighborList, maxAtoms: config.data.maxAtoms, maxEdges: config.data.maxEdges)
        loader = try DataLoader(sources: train.shards, sampler: sampler, builder: builder)
        if let v = val {
            let vplan = try ShardPlan(shardSizes: v.shards.map(\.count), worldSize: comm.size, rank: comm.rank, mode: .ranges)
            let vs = try EpochSampler(plan: vplan, batchSize: config.data.batchSize, shuffle: false, dropLast: false)
            validationLoader = try DataLoader(sources: v.shards, sampler: vs, builder: builder)
        } else {
            validationLoader = nil
        }
        var total = t.epochs * sampler.stepsPerEpoch
        if let m = t.maxSteps { total = min(total, m) }
        totalSteps = total
        schedule = LearningRateSchedule(config: t, totalSteps: total)
        if let s = resume?.checkpoint.schedule {
            schedule.plateauScale = s.plateauScale
            schedule.bestValidation = s.bestValidation
            schedule.badEpochs = s.badEpochs
        }
    }

    /// Mean number of incoming edges per atom, with the model's cutoff and `max_neighbors`, over
    /// `limit` structures spread over all of `data` (all of them when it has no more): the centre
    /// row ⌊(2i+1)·n / 2·limit⌋ of each of `limit` equal parts. Files are often sorted (QM9 by
    /// molecule size), so the first rows alone would not be typical. 0 for a set without atoms.
    public static func averageNeighbors(_ data: Dataset, model: ModelConfig, limit: Int = 1000) throws -> Double {
        let list = NeighborList(cutoff: model.common.cutoff, maxNeighbors: model.common.maxNeighbors)
        let n = data.count, k = min(limit, n)
        var atoms = 0, edges = 0
        var i = 0
        while i < k {
            let rows: Range<Int>
            if k == n {
                rows = i..<min(n, i + 256)   // every row, in blocks
            } else {
                let r = (2 * i + 1) * n / (2 * k)
                rows = r..<(r + 1)
            }
            for s in try data.read(rows) {
                atoms += s.atomCount
                edges += try list.edges(for: s, context: "\(data.path), structure \(s.id.map(String.init) ?? "?")").count
            }
            i += k == n ? rows.count : 1
        }
        return atoms > 0 ? Double(edges) / Double(atoms) : 0
    }

    /// The batch of step `index` of `epoch` on this rank, as micro-batches: one, unless
    /// `data.max_atoms` / `data.max_edges` cap the size of what one forward pass sees (the
    /// gradients of the micro-batches add up to the gradient of the whole step).
    public func batch(epoch: Int, index: Int, plan: [[GlobalIndex]]) throws -> [GraphBatch] {
        let structures = try loader.structures(plan[index])
        let labels = zip(plan[index], structures).map { g, s in
            "\(loader.sources[g.shard].sourceName), structure \(s.id.map(String.init) ?? "row \(g.index)") (epoch \(epoch), step \(index))"
        }
        return try microBatches(structures, context: "\(config.data.train) (epoch \(epoch), step \(index))", labels: labels)
    }

    /// `labels`: what errors about each structure name (its shard file), see `BatchBuilder.build`.
    func microBatches(_ structures: [Structure], context: String, labels: [String]? = nil) throws -> [GraphBatch] {
        for t in normalizer.targets {
            for s in structures {
                let values = (t.level == .graph ? s.graphTargets[t.name] : s.atomTargets[t.name]) ?? []
                if let bad = values.first(where: { !$0.isFinite }) {
                    throw DataError(file: context, field: "/\(t.level.rawValue)/\(t.name)",
                                    "structure \(s.id.map(String.init) ?? "?") has the non-finite value \(bad)")
                }
            }
        }
        if builder.maxAtoms == nil && builder.maxEdges == nil { return [try builder.build(structures, context: context, labels: labels)] }
        return try builder.batches(structures, context: context, labels: labels)
    }

    /// One optimiser step on this rank's `batch`: forward, loss, backward, synchronisation,
    /// clipping, AdamW, EMA (and parameter averaging every `average_every` steps in
    /// `sync: parameters` mode). `stop` is this rank's stop request; the result says whether any
    /// rank asked to stop. When the synchronised gradient or the loss is not finite on any rank
    /// (checked before clipping and the update), every rank skips the update alike: parameters,
    /// optimiser state and EMA stay as they were, the step counts, and `totals.skipped` is set.
    /// `checkpoint` is this rank's checkpoint-time request (`CheckpointCadence`), agreed on alike.
    @discardableResult
    public func trainStep(_ batches: [GraphBatch], stop: Bool = false,
                          checkpoint: Bool = false) throws -> (totals: StepTotals, lr: Double, gradNorm: Double) {
        let store = model.store
        let localLoss = try accumulateGradients(batches)
        if faultNaNGradientSteps.contains(step + 1), store.count > 0 { store.grads[0] = .nan }
        if let f = faultSleep, f.step == step + 1 { Thread.sleep(forTimeInterval: f.seconds) }
        let count = batches.reduce(0) { $0 + $1.graphCount }
        var totals: StepTotals, norm: Double
        if config.distributed.sync == .parameters {
            if count > 0 { store.scaleGrads(by: 1 / T(count)) }
            norm = Double(store.gradientNorm())   // local gradients: the totals allreduce does not touch them
            totals = try synchronizer.totals(localCount: count, localLossSum: localLoss, stop: stop,
                                             bad: !norm.isFinite || !localLoss.isFinite, checkpoint: checkpoint)
        } else {
            totals = try synchronizer.synchronizeGradients(store, localCount: count, localLossSum: localLoss, stop: stop,
                                                           checkpoint: checkpoint)
            norm = Double(store.gradientNorm())
        }
        let lr = schedule.rate(step: step)
        if totals.bad || !norm.isFinite || !totals.meanLoss.isFinite {
            totals.skipped = true
            step += 1
            return (totals, lr, norm)
        }
        if config.training.clipGradNorm > 0 { norm = Double(store.clipGradients(maxNorm: T(config.training.clipGradNorm))) }
        adam.update(parameters: &store.values, gradients: store.grads, lr: lr)
        ema?.update(with: store.values)
        step += 1
        if config.distributed.sync == .parameters && step % config.distributed.averageEvery == 0 {
            try averageParameters()
        }
        return (totals, lr, norm)
    }

    /// Zeroes the gradients and accumulates ∇ Σ_g ℓ_g over every structure of the micro-batches
    /// (one forward/backward pass each); returns Σ_g ℓ_g.
    public func accumulateGradients(_ batches: [GraphBatch]) throws -> Double {
        let store = model.store
        store.zeroGrads()
        var total = 0.0
        for batch in batches {
            if let forces = normalizer.conservativeForces {
                total += try accumulateForceGradients(batch, forces).reduce(0, +)
                continue
            }
            let tape = Tape<T>(store: store)
            let outputs = try ModelRunner.forward(model, batch: batch, tape: tape)
            let targets = try normalizer.standardizedTargets(batch)
            let (l, per) = try loss.evaluate(outputs: outputs, targets: targets, normalizer: normalizer, batch: batch, tape: tape)
            tape.backward(l)
            total += per.reduce(0, +)
        }
        return total
    }

    /// Replaces parameters (and EMA weights) by their mean over ranks.
    public func averageParameters() throws {
        let store = model.store
        try store.values.withUnsafeMutableBufferPointer { p in
            if ema != nil {
                try ema!.weights.withUnsafeMutableBufferPointer { e in try synchronizer.averageParameters([p, e]) }
            } else {
                try synchronizer.averageParameters([p])
            }
        }
    }

    /// Validation over the whole validation set (ranks take disjoint ranges; one allreduce),
    /// with the EMA weights when EMA is on. Nil without a validation set.
    public func validate() throws -> ValidationMetrics? {
        guard let loader = validationLoader else { return nil }
        let store = model.store
        let saved = store.values
        if let e = ema { store.values = e.weights }
        defer { store.values = saved }
        var metrics = ValidationMetrics(normalizer: normalizer)
        for indices in loader.sampler.evaluationBatches() {
            let structures = try loader.structures(indices)
            for batch in try microBatches(structures, context: config.data.val ?? "validation set") {
                try Self.accumulate(&metrics, model: model, normalizer: normalizer, loss: loss, batch: batch)
            }
        }
        try metrics.combine(comm)
        return metrics
    }

    /// Adds one batch's errors (physical units), mean-predictor errors and losses to `metrics`;
    /// returns the physical predictions.
    @discardableResult
    static func accumulate(_ metrics: inout ValidationMetrics, model: any GraphModel<T>, normalizer: TargetNormalizer,
                           loss: LossFunction, batch: GraphBatch) throws -> [String: [Double]] {
        let tape = Tape<T>(store: model.store)
        let outputs = try ModelRunner.predict(model, normalizer: normalizer, batch: batch, tape: tape)
        let targets = try normalizer.standardizedTargets(batch)
        let (_, per) = try loss.evaluate(outputs: outputs, targets: targets, normalizer: normalizer, batch: batch, tape: tape)
        let predictions = normalizer.physicalPredictions(ModelRunner.values(outputs), batch: batch)
        let baseline = normalizer.physicalPredictions(ModelRunner.zeros(normalizer, batch: batch), batch: batch)
        var truth: [String: [Double]] = [:]
        for t in normalizer.targets { truth[t.name] = t.level == .graph ? batch.graphTargets[t.name] : batch.atomTargets[t.name] }
        let atoms = (0..<batch.graphCount).map { batch.atomOffsets[$0 + 1] - batch.atomOffsets[$0] }
        metrics.add(predictions: predictions, targets: truth, baseline: baseline, perStructureLoss: per, atomsPerGraph: atoms)
        return predictions
    }

    /// The current state as a checkpoint.
    public func checkpoint() throws -> Checkpoint {
        Checkpoint(configYAML: try config.yaml(), normalizer: normalizer, parameters: store.parameters, values: store.values,
                   adamM: adam.m, adamV: adam.v, adamStep: adam.step, emaWeights: ema?.weights, emaUpdates: ema?.updates ?? 0,
                   step: step, epoch: epoch, stepInEpoch: stepInEpoch, rngState: rng.state, schedule: schedule,
                   bestValidationLoss: bestValidationLoss, epochLossSum: epochLossSum, epochCount: epochCount,
                   worldSize: comm.size)
    }
}

extension Trainer {
    /// Parses `SE3_FAULT_NAN_GRADIENT` (`"3,5"` or `"3,5@1"`); empty for this rank otherwise.
    static func faultSteps(_ value: String?, rank: Int) -> Set<Int> {
        guard let value, !value.isEmpty else { return [] }
        let parts = value.split(separator: "@")
        if parts.count == 2, Int(parts[1]) != rank { return [] }
        return Set(parts[0].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) })
    }
}
