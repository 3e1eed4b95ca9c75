import Foundation
import SE3Data
import SE3Distributed
import SE3Models

/// `se3 evaluate`: a checkpoint's model (EMA weights when present) on a dataset.
///
/// Ranks take disjoint contiguous ranges of the dataset (`ShardPlan` `ranges` mode), accumulate
/// error sums in physical units and combine them with one allreduce (MAE, RMSE per target, plus
/// the mean predictor's errors as a baseline). With `predictionsPath`, each target's predictions
/// are gathered to rank 0 in dataset order and written in the dataset format (same structures,
/// ids, positions and cells; the checkpoint's targets with the same names, levels, kinds and
/// units, Cartesian form) through `DatasetWriter`, published atomically.
public enum CheckpointEvaluation {
    public struct Result {
        public var metrics: ValidationMetrics
        /// Structures evaluated (all ranks).
        public var structures: Int
        public var predictionsPath: String?
    }

    /// `progress(done, total)` (rank 0; `done` extrapolated from rank 0's part) after each batch.
    public static func run(checkpointPath: String, dataPath: String, predictionsPath: String? = nil,
                           batchSize: Int? = nil, comm: Communicator, makeModel: ModelMaker,
                           progress: ((Int, Int) -> Void)? = nil) throws -> Result {
        let loaded = try CheckpointModel(path: checkpointPath, makeModel: makeModel)
        let (config, normalizer) = (loaded.config, loaded.normalizer)

        let data = try Dataset(path: dataPath)
        let file = data.shards.first?.path ?? dataPath
        for t in normalizer.targets {
            guard let info = data.targets.first(where: { $0.name == t.name }) else {
                throw DataError(file: file, field: "/\(t.level.rawValue)/\(t.name)",
                                "missing target '\(t.name)' (the checkpoint predicts \(normalizer.targets.map(\.name)))")
            }
            guard info.level == t.level, info.kind == t.kind else {
                throw DataError(file: file, field: DatasetFormat.path(of: info),
                                "target '\(t.name)' is \(info.level.rawValue)-level \(info.kind.rawValue), the checkpoint predicts \(t.level.rawValue)-level \(t.kind.rawValue)")
            }
        }
        try DatasetChecks.checkElements(data, elements: config.model.common.elements)
        let bs = batchSize ?? config.data.batchSize
        guard bs >= 1 else { throw DataError(file: "command line", field: "--batch-size", "must be >= 1, got \(bs)") }

        let plan = try ShardPlan(shardSizes: data.shards.map(\.count), worldSize: comm.size, rank: comm.rank, mode: .ranges)
        let sampler = try EpochSampler(plan: plan, batchSize: bs, shuffle: false, dropLast: false)
        let builder = BatchBuilder(neighborList: config.neighborList)
        let loader = try DataLoader(sources: data.shards, sampler: sampler, builder: builder)
        let loss = LossFunction(config: config)
        var metrics = ValidationMetrics(normalizer: normalizer)
        var local: [String: [Double]] = Dictionary(uniqueKeysWithValues: normalizer.targets.map { ($0.name, []) })
        var done = 0
        for indices in sampler.evaluationBatches() {
            let batch = try builder.build(try loader.structures(indices), context: dataPath)
            let p = try loaded.accumulate(&metrics, loss: loss, batch: batch)
            if predictionsPath != nil { for (k, v) in p { local[k, default: []] += v } }
            done += indices.count
            if comm.isRoot { progress?(plan.count > 0 ? done * data.count / plan.count : data.count, data.count) }
        }
        try metrics.combine(comm)
        var result = Result(metrics: metrics, structures: Int(metrics.structures), predictionsPath: nil)

        if let out = predictionsPath {
            var gathered: [String: [Double]] = [:]
            for t in normalizer.targets {   // same order on every rank
                gathered[t.name] = try comm.allgather(local[t.name] ?? []).flatMap { $0 }
            }
            if comm.isRoot {
                try writePredictions(gathered, normalizer: normalizer, data: data, to: out)
                result.predictionsPath = out
            }
        }
        return result
    }

    /// Rank 0: copies every structure of `data` with its targets replaced by `predictions`.
    static func writePredictions(_ predictions: [String: [Double]], normalizer: TargetNormalizer, data: Dataset,
                                 to path: String) throws {
        let infos = normalizer.targets.map { TargetInfo(name: $0.name, level: $0.level, kind: $0.kind, units: $0.units) }
        try AtomicFile.replace(path) { tmp in
            let writer = try DatasetWriter(path: tmp, targets: infos)
            var graphOffset = 0, atomOffset = 0
            var start = 0
            while start < data.count {
                let chunk = try data.read(start..<min(data.count, start + 1024))
                for var s in chunk {
                    var g: [String: [Double]] = [:], a: [String: [Double]] = [:]
                    for t in normalizer.targets {
                        let k = t.components
                        let values = predictions[t.name] ?? []
                        let range = t.level == .graph ? (graphOffset * k)..<((graphOffset + 1) * k)
                                                      : (atomOffset * k)..<((atomOffset + s.atomCount) * k)
                        guard range.upperBound <= values.count else {
                            throw DataError(file: path, field: DatasetFormat.path(of: infos.first { $0.name == t.name }!),
                                            "gathered \(values.count) predictions, fewer than the dataset needs")
                        }
                        if t.level == .graph { g[t.name] = Array(values[range]) } else { a[t.name] = Array(values[range]) }
                    }
                    s.graphTargets = g
                    s.atomTargets = a
                    try writer.append(s)
                    graphOffset += 1
                    atomOffset += s.atomCount
                }
                start += chunk.count
            }
            try writer.close()
        }
    }
}
