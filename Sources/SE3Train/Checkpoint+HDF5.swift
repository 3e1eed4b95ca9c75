import Foundation
import SE3HDF5
import SE3Tensor

/// HDF5 layout of a checkpoint (format `se3-checkpoint`, version 1):
/// - root attributes: `format`, `format_version`, `step`, `epoch`, `step_in_epoch`, `adam_step`,
///   `ema_updates`, `world_size` (int64), `best_validation_loss`, `epoch_loss_sum`, `epoch_count`
///   (float64), `model` (the architecture name) and `config` (the YAML, when under 60 kB);
/// - `/config` uint8 [n]: the full config YAML (UTF-8); `/normalizer`, `/schedule`, `/layout`
///   uint8 [n]: JSON of `TargetNormalizer`, `LearningRateSchedule` and the parameter layout;
/// - `/rng_state` int64 [4]: the trainer's generator state (bit patterns of the UInt64 words);
/// - root attribute `dtype` (`float32` or `float64`, the run's `training.dtype`; absent: float32);
/// - `/parameters/<name>` float32 (float64 for `dtype` float64) in the parameter's shape (rank-0 and zero-sized trailing
///   shapes stored flat as [count]); `/optimizer/m/<name>`, `/optimizer/v/<name>` (AdamW moments)
///   and `/ema/<name>` (EMA weights, only with EMA) likewise. A `/` in a name makes nested groups.
extension Checkpoint {
    static let textOptions = HDF5DatasetOptions(chunkRows: 1 << 16, deflateLevel: 4, shuffle: false, checksum: true)
    static let valueOptions = HDF5DatasetOptions(chunkRows: 4096, deflateLevel: nil, shuffle: false, checksum: true)

    static func jsonEncoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    static func jsonDecoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }

    /// Writes the checkpoint to `path` (replacing it; not atomic: see `RunDirectory.publish`).
    public func write(to path: String) throws {
        let f = try HDF5File(path: path, mode: .truncate)
        try f.setAttribute("format", Self.formatName)
        try f.setAttribute("format_version", Self.formatVersion)
        for (k, v) in [("step", step), ("epoch", epoch), ("step_in_epoch", stepInEpoch), ("adam_step", adamStep),
                       ("ema_updates", emaUpdates), ("world_size", worldSize)] {
            try f.setAttribute(k, Int64(v))
        }
        try f.setAttribute("dtype", dtype.rawValue)
        try f.setAttribute("best_validation_loss", bestValidationLoss)
        try f.setAttribute("epoch_loss_sum", epochLossSum)
        try f.setAttribute("epoch_count", epochCount)
        if let name = (try? TrainConfig.parse(yaml: configYAML, file: path))?.model.name.rawValue { try f.setAttribute("model", name) }
        if configYAML.utf8.count < 60_000 { try f.setAttribute("config", configYAML) }
        try Self.writeText(f, "config", configYAML)
        try Self.writeText(f, "normalizer", String(decoding: try Self.jsonEncoder().encode(normalizer), as: UTF8.self))
        try Self.writeText(f, "schedule", String(decoding: try Self.jsonEncoder().encode(schedule), as: UTF8.self))
        try Self.writeText(f, "layout", String(decoding: try Self.jsonEncoder().encode(parameters), as: UTF8.self))
        try f.writeDataset("rng_state", rngState.map { Int64(bitPattern: $0) }, shape: [rngState.count],
                           options: HDF5DatasetOptions(chunkRows: max(1, rngState.count), deflateLevel: nil, shuffle: false))
        try writeBuffer(values, group: try f.createGroup("parameters"))
        let opt = try f.createGroup("optimizer")
        try writeBuffer(adamM, group: try opt.createGroup("m"))
        try writeBuffer(adamV, group: try opt.createGroup("v"))
        if let ema = emaWeights { try writeBuffer(ema, group: try f.createGroup("ema")) }
        try f.close()
    }

    static func writeText(_ f: HDF5File, _ name: String, _ text: String) throws {
        let bytes = Array(text.utf8)
        if bytes.isEmpty {
            _ = try f.createDataset(name, type: .uint8, shape: [0], options: textOptions)
        } else {
            try f.writeDataset(name, bytes, shape: [bytes.count], options: textOptions)
        }
    }

    /// The dataset shape used for a parameter shape.
    static func storedShape(_ shape: [Int]) -> [Int] {
        let count = shape.reduce(1, *)
        if shape.isEmpty || shape.dropFirst().contains(where: { $0 < 1 }) { return [count] }
        return shape
    }

    private func writeBuffer(_ buffer: [Double], group: HDF5Group) throws {
        for p in parameters {
            var g = group
            let parts = p.name.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            for part in parts.dropLast() { g = try g.openOrCreateGroup(part) }
            let leaf = parts.last ?? p.name
            let shape = Self.storedShape(p.shape)
            if p.count == 0 {
                _ = try g.createDataset(leaf, type: dtype == .float64 ? .float64 : .float32, shape: shape, options: Self.valueOptions)
            } else if dtype == .float64 {
                try g.writeDataset(leaf, Array(buffer[p.range]), shape: shape, options: Self.valueOptions)
            } else {
                try g.writeDataset(leaf, buffer[p.range].map { Float($0) }, shape: shape, options: Self.valueOptions)
            }
        }
    }

    /// Reads and validates a checkpoint. Errors (`CheckpointError`, `HDF5Error`) name the file
    /// and the dataset or attribute.
    public static func read(path: String) throws -> Checkpoint {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CheckpointError(file: path, field: "/", "no such checkpoint file")
        }
        let f = try HDF5File(path: path, mode: .readOnly)
        defer { try? f.close() }
        func fail(_ field: String, _ m: String) -> CheckpointError { CheckpointError(file: path, field: field, m) }
        guard try f.hasAttribute("format"), try f.stringAttribute("format") == formatName else {
            throw fail("/ (attribute format)", "not an se3 checkpoint (expected format = \"\(formatName)\")")
        }
        guard try f.hasAttribute("format_version"), try f.integerAttribute("format_version") == formatVersion else {
            throw fail("/ (attribute format_version)", "unsupported checkpoint version (this reader supports \(formatVersion))")
        }
        func int(_ name: String) throws -> Int {
            guard try f.hasAttribute(name) else { throw fail("/ (attribute \(name))", "missing") }
            return Int(try f.integerAttribute(name))
        }
        func double(_ name: String) throws -> Double {
            guard try f.hasAttribute(name) else { throw fail("/ (attribute \(name))", "missing") }
            return try f.doubleAttribute(name)
        }
        func text(_ name: String) throws -> String {
            guard f.exists(name) else { throw fail("/\(name)", "missing dataset") }
            let bytes: [UInt8] = try f.openDataset(name).read(as: UInt8.self)
            return String(decoding: bytes, as: UTF8.self)
        }
        func json<T: Decodable>(_ name: String, _ type: T.Type) throws -> T {
            let t = try text(name)
            do { return try jsonDecoder().decode(T.self, from: Data(t.utf8)) } catch {
                throw fail("/\(name)", "cannot decode: \(error)")
            }
        }
        let layout = try json("layout", [Parameter].self)
        var offset = 0
        var names = Set<String>()
        for p in layout {
            guard p.offset == offset, p.shape.allSatisfy({ $0 >= 0 }), names.insert(p.name).inserted else {
                throw fail("/layout", "inconsistent parameter layout at '\(p.name)'")
            }
            offset += p.count
        }
        var dtype = OptimizationConfig.DType.float32
        if try f.hasAttribute("dtype") {
            let name = try f.stringAttribute("dtype")
            guard let d = OptimizationConfig.DType(rawValue: name) else {
                throw fail("/ (attribute dtype)", "unknown precision '\(name)' (float32 or float64)")
            }
            dtype = d
        }
        func buffer(_ group: String) throws -> [Double] {
            var out = [Double](repeating: 0, count: offset)
            for p in layout {
                let name = "\(group)/\(p.name)"
                guard f.exists(name) else { throw fail("/\(name)", "missing dataset") }
                let ds = try f.openDataset(name)
                let shape = try ds.shape
                guard shape == storedShape(p.shape) else {
                    throw fail("/\(name)", "shape \(shape), expected \(storedShape(p.shape))")
                }
                if p.count > 0 {
                    let v = dtype == .float64 ? try ds.read(as: Double.self) : try ds.read(as: Float.self).map(Double.init)
                    guard v.count == p.count else { throw fail("/\(name)", "\(v.count) values, expected \(p.count)") }
                    guard v.allSatisfy({ $0.isFinite }) else { throw fail("/\(name)", "non-finite values") }
                    out.replaceSubrange(p.range, with: v)
                }
            }
            return out
        }
        guard f.exists("rng_state") else { throw fail("/rng_state", "missing dataset") }
        let rng = try f.openDataset("rng_state").read(as: Int64.self).map { UInt64(bitPattern: $0) }
        guard rng.count == 4 else { throw fail("/rng_state", "expected 4 words, found \(rng.count)") }
        let config = try text("config")
        let c = Checkpoint(
            configYAML: config,
            normalizer: try json("normalizer", TargetNormalizer.self),
            parameters: layout,
            dtype: dtype,
            values: try buffer("parameters"),
            adamM: try buffer("optimizer/m"),
            adamV: try buffer("optimizer/v"),
            adamStep: try int("adam_step"),
            emaWeights: f.exists("ema") ? try buffer("ema") : nil,
            emaUpdates: try int("ema_updates"),
            step: try int("step"), epoch: try int("epoch"), stepInEpoch: try int("step_in_epoch"),
            rngState: rng,
            schedule: try json("schedule", LearningRateSchedule.self),
            bestValidationLoss: try double("best_validation_loss"),
            epochLossSum: try double("epoch_loss_sum"), epochCount: try double("epoch_count"),
            worldSize: try int("world_size"))
        guard c.step >= 0, c.epoch >= 0, c.stepInEpoch >= 0 else {
            throw fail("/ (attribute step)", "negative step, epoch or step_in_epoch")
        }
        return c
    }

    /// The configuration stored in the checkpoint (errors name the checkpoint file and the key).
    public func config(file: String, overrides: [String] = []) throws -> TrainConfig {
        try TrainConfig.parse(yaml: configYAML, file: "\(file) (/config)", overrides: overrides)
    }
}
