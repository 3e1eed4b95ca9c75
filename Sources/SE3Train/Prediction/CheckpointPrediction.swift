import Foundation
import SE3Data
import SE3Distributed
import SE3Models
import SE3Tensor

/// `se3 predict`: a checkpoint's model (EMA weights when present) on an extended-XYZ file or an
/// se3 dataset, written as extended XYZ with the predictions added (`XYZFrameFormat`).
///
/// Every output of the checkpoint is written, whatever its level and kind: graph-level ones as
/// comment-line keys, atom-level ones as `Properties` columns, named `prefix + target name`, in
/// the target's physical units (`TargetNormalizer.physicalPredictions` of what
/// `ModelRunner.forward` returns, the path `se3 evaluate` takes). XYZ frames are copied with
/// every key and column they had; dataset structures are written with their positions, cell,
/// id and stored targets.
///
/// Streaming: rank r takes the contiguous part `[⌊rT/W⌋, ⌊(r+1)T/W⌋)` of the T structures and
/// reads it in batches; after each batch every rank's text is gathered on rank 0, which writes
/// its own part to the output and spools the others' (`OrderedOutput`), so the file is in input
/// order and memory holds one batch per rank.
public enum CheckpointPrediction {
    public struct Output: Equatable, Sendable {
        /// The name in the output file (`prefix + target`).
        public var key: String
        public var target: String
        public var level: TargetLevel
        public var kind: TargetKind
        public var units: String
    }

    public struct Result: Sendable {
        public var structures: Int
        public var outputs: [Output]
        public var outputPath: String
    }

    /// - Parameters:
    ///   - prefix: prepended to every target name (letters, digits, `_`, `-`, `.`; may be empty).
    ///   - progress: `(done, total)` on rank 0 after each batch (`done` extrapolated from its part).
    public static func run(checkpointPath: String, inputPath: String, outputPath: String, prefix: String = "se3_",
                           batchSize: Int? = nil, comm: Communicator, makeModel: ModelMaker,
                           progress: ((Int, Int) -> Void)? = nil) throws -> Result {
        let loaded = try CheckpointModel(path: checkpointPath, makeModel: makeModel)
        let normalizer = loaded.normalizer
        let outputs = normalizer.targets.map {
            Output(key: prefix + $0.name, target: $0.name, level: $0.level, kind: $0.kind, units: $0.units)
        }
        for o in outputs where !XYZFrameFormat.isValidName(o.key) {
            throw DataError(file: "command line", field: "--prefix",
                            "'\(o.key)' (prefix + target '\(o.target)') is not an extended-XYZ key: use letters, digits, _, - and .")
        }
        let bs = batchSize ?? loaded.config.data.batchSize
        guard bs >= 1 else { throw DataError(file: "command line", field: "--batch-size", "must be >= 1, got \(bs)") }

        let source = try PredictionSources.open(inputPath, comm: comm)
        let total = source.count
        let lo = comm.rank * total / comm.size, hi = (comm.rank + 1) * total / comm.size
        let rounds = (((total + comm.size - 1) / comm.size) + bs - 1) / bs   // the largest part's batches
        try source.seek(lo)
        let output = comm.isRoot ? try OrderedOutput(path: outputPath, ranks: comm.size) : nil
        do {
            var cursor = lo
            for _ in 0..<rounds {
                let take = min(bs, hi - cursor)
                let items = take > 0 ? try source.next(take) : []
                guard items.count == take else {
                    throw DataError(file: source.name, field: "\(source.unit)s",
                                    "expected \(source.unit) \(cursor + items.count) of \(total), the input ended; did it change?")
                }
                let text = try frames(items, first: cursor, source: source, loaded: loaded, outputs: outputs)
                cursor += take
                let parts = try comm.gather(bytes: Array(text.utf8))
                if let output {
                    for (r, bytes) in parts.enumerated() { try output.append(bytes, rank: r) }
                    progress?(hi > lo ? (cursor - lo) * total / (hi - lo) : total, total)
                }
            }
            try output?.publish()
        } catch {
            output?.discard()
            throw error
        }
        return Result(structures: total, outputs: outputs, outputPath: outputPath)
    }

    /// The output frames of `items` (structures `first…` of the input).
    static func frames(_ items: [(structure: Structure, text: XYZFrameText?)], first: Int, source: PredictionSource,
                       loaded: CheckpointModel, outputs: [Output]) throws -> String {
        guard !items.isEmpty else { return "" }
        let allowed = Set(loaded.config.model.common.elements.map(Int32.init))
        var bare: [Structure] = []
        var labels: [String] = []
        for (k, item) in items.enumerated() {
            let label = "\(source.unit) \(first + k)"
            if let z = item.structure.atomicNumbers.first(where: { !allowed.contains($0) }) {
                throw DataError(file: source.name, field: label,
                                "element \(DatasetElements.symbol(z)) (Z = \(z)) is not in the checkpoint's model.elements \(loaded.config.model.common.elements)")
            }
            let taken = Set(item.text.map { $0.infoKeys + $0.properties.map(\.name) }
                            ?? Array(XYZFrameFormat.structureKeys) + item.structure.graphTargets.keys + item.structure.atomTargets.keys)
            if let clash = outputs.first(where: { taken.contains($0.key) }) {
                throw DataError(file: source.name, field: label,
                                "already has a key '\(clash.key)'; choose another --prefix for the predictions")
            }
            var s = item.structure
            s.graphTargets = [:]
            s.atomTargets = [:]
            bare.append(s)
            labels.append("\(source.name), \(label)")
        }
        let builder = BatchBuilder(neighborList: loaded.config.neighborList)
        let batch = try builder.build(bare, context: source.name, labels: labels)
        let predictions = try predict(loaded, batch: batch)

        var text = ""
        for (g, item) in items.enumerated() {
            var info: [XYZFrameFormat.Added] = [], columns: [XYZFrameFormat.Added] = []
            let a0 = batch.atomOffsets[g], a1 = batch.atomOffsets[g + 1]
            for o in outputs {
                let k = o.kind.components, v = predictions[o.target]!
                if o.level == .graph {
                    info.append(.init(name: o.key, components: k, values: Array(v[(g * k)..<((g + 1) * k)])))
                } else {
                    columns.append(.init(name: o.key, components: k, values: Array(v[(a0 * k)..<(a1 * k)])))
                }
            }
            text += item.text.map { XYZFrameFormat.frame(text: $0, info: info, columns: columns) }
                ?? XYZFrameFormat.frame(item.structure, info: info, columns: columns)
        }
        return text
    }

    /// Physical predictions of every checkpoint target for `batch` (batch layout).
    static func predict(_ loaded: CheckpointModel, batch: GraphBatch) throws -> [String: [Double]] {
        let values = try loaded.outputs(batch)
        let physical = loaded.normalizer.physicalPredictions(values, batch: batch)
        for t in loaded.normalizer.targets {
            let rows = t.level == .graph ? batch.graphCount : batch.atomCount
            guard let v = physical[t.name], v.count == rows * t.components else {
                throw CheckpointError(file: loaded.path, field: "/normalizer",
                                      "the model gave \(physical[t.name]?.count ?? 0) values for output '\(t.name)', expected \(rows * t.components)")
            }
        }
        return physical
    }
}
