import Foundation

/// The curves of one run, read from its `metrics.jsonl` (see `Trainer.run` for the records):
/// training loss and learning rate per logged step, validation loss and validation MAE per
/// target (physical units) per epoch, and the test MAE of the best checkpoint when the run
/// ended with one. Non-finite values (logged as "nan"/"inf") are left out.
public struct RunMetrics: Equatable, Sendable {
    public struct Point: Equatable, Sendable {
        public var step: Double
        public var value: Double
    }

    /// The label in figures (the run directory's name).
    public var name: String
    /// Training loss per logged step, and its mean over each epoch.
    public var trainLoss: [Point] = []
    public var epochTrainLoss: [Point] = []
    public var validationLoss: [Point] = []
    public var learningRate: [Point] = []
    /// Validation MAE per target, in `units[target]`.
    public var validationMAE: [String: [Point]] = [:]
    /// The MAE of predicting the training mean on the validation set, per target (the last epoch's).
    public var baselineMAE: [String: Double] = [:]
    /// Test MAE of the checkpoint evaluated at the end of training, per target.
    public var testMAE: [String: Point] = [:]
    /// Targets in the order they first appear.
    public var targets: [String] = []
    public var units: [String: String] = [:]

    public init(name: String, records: [[String: Any]]) {
        self.name = name
        for r in records {
            guard let type = r["type"] as? String, let step = Self.number(r["step"]) else { continue }
            switch type {
            case "step":
                if let v = Self.number(r["loss"]) { trainLoss.append(Point(step: step, value: v)) }
                if let v = Self.number(r["lr"]) { learningRate.append(Point(step: step, value: v)) }
            case "epoch":
                if let v = Self.number(r["train_loss"]) { epochTrainLoss.append(Point(step: step, value: v)) }
                if let v = Self.number(r["val_loss"]) { validationLoss.append(Point(step: step, value: v)) }
                for (target, mae) in maes(r["val"]) { validationMAE[target, default: []].append(Point(step: step, value: mae)) }
                for (target, mae) in maes(r["val"], key: "baseline_mae") { baselineMAE[target] = mae }
            case "test":
                for (target, mae) in maes(r["test"]) { testMAE[target] = Point(step: step, value: mae) }
            default:
                continue
            }
        }
    }

    /// Reads `<run>/metrics.jsonl` (or a metrics file given directly); the name is the run
    /// directory's.
    public static func read(_ path: String) throws -> RunMetrics {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw CheckpointError(file: path, field: "run directory", "no such file or directory")
        }
        let file = isDir.boolValue ? RunDirectory(path: path).metricsPath : path
        let dir = isDir.boolValue ? path : (path as NSString).deletingLastPathComponent
        let name = ((dir as NSString).standardizingPath as NSString).lastPathComponent
        guard FileManager.default.fileExists(atPath: file) else {
            throw CheckpointError(file: file, field: "metrics.jsonl", "no such file (is \(path) a run directory of se3 train?)")
        }
        let text = try String(contentsOfFile: file, encoding: .utf8)
        var records: [[String: Any]] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            guard let r = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                throw CheckpointError(file: file, field: "line \(i + 1)", "not a JSON object")
            }
            records.append(r)
        }
        return RunMetrics(name: name.isEmpty ? path : name, records: records)
    }

    /// `{"<target>": {"mae": …, "units": …}}` entries with a finite `key`, noting targets and units.
    private mutating func maes(_ value: Any?, key: String = "mae") -> [(String, Double)] {
        guard let object = value as? [String: Any] else { return [] }
        var out: [(String, Double)] = []
        for target in object.keys.sorted() {
            guard let entry = object[target] as? [String: Any] else { continue }
            if !targets.contains(target) { targets.append(target) }
            if units[target] == nil, let u = entry["units"] as? String { units[target] = u }
            if let mae = Self.number(entry[key]) { out.append((target, mae)) }
        }
        return out
    }

    static func number(_ value: Any?) -> Double? {
        guard let n = value as? NSNumber, !(value is Bool) else { return nil }
        let d = n.doubleValue
        return d.isFinite ? d : nil
    }
}
