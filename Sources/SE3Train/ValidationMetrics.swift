import SE3Data
import SE3Distributed

/// Error sums over a dataset part, in physical units, combined across ranks by one allreduce.
///
/// Per target: Σ|e|, Σe² and the number of components n (every Cartesian component of every
/// structure or atom counts once), so MAE = Σ|e| / n and RMSE = √(Σe² / n). The same sums for the
/// mean predictor (the model output 0 in standardised units: the training mean, or Σ r_Z + N μ
/// for extensive targets, or zero for vectors) give the baseline every model should beat.
/// The loss sum Σ_g ℓ_g over structures gives the validation loss (mean ℓ_g). An extensive
/// target (an energy) also gets a per-atom entry `<name>_per_atom` (`<units>/atom`) with the errors
/// `e_g / N_g`, the figure interatomic potentials are compared by.
public struct ValidationMetrics: Equatable, Sendable {
    public struct Target: Codable, Equatable, Sendable {
        public var name: String
        public var units: String
        /// For a per-atom entry: the extensive target whose errors it divides by the atom count.
        public var perAtomOf: String? = nil
        public var count: Double = 0
        public var sumAbs: Double = 0
        public var sumSquares: Double = 0
        public var baselineSumAbs: Double = 0
        public var baselineSumSquares: Double = 0

        public var mae: Double { count > 0 ? sumAbs / count : .nan }
        public var rmse: Double { count > 0 ? (sumSquares / count).squareRoot() : .nan }
        public var baselineMAE: Double { count > 0 ? baselineSumAbs / count : .nan }
        public var baselineRMSE: Double { count > 0 ? (baselineSumSquares / count).squareRoot() : .nan }
    }

    public var targets: [Target]
    public var structures: Double = 0
    public var lossSum: Double = 0

    public init(normalizer: TargetNormalizer) {
        targets = normalizer.targets.map { Target(name: $0.name, units: $0.units) }
        for t in normalizer.targets where t.extensive {
            targets.append(Target(name: "\(t.name)_per_atom", units: "\(t.units)/atom", perAtomOf: t.name))
        }
    }

    /// Mean loss per structure (NaN for an empty set).
    public var loss: Double { structures > 0 ? lossSum / structures : .nan }

    /// Adds one batch: physical predictions and their targets, the mean-predictor values, and ℓ_g.
    public mutating func add(predictions: [String: [Double]], targets truth: [String: [Double]],
                             baseline: [String: [Double]], perStructureLoss: [Double], atomsPerGraph: [Int] = []) {
        structures += Double(perStructureLoss.count)
        for l in perStructureLoss { lossSum += l }
        for i in targets.indices {
            let name = targets[i].perAtomOf ?? targets[i].name
            guard let p = predictions[name], let y = truth[name], let b = baseline[name], p.count == y.count else { continue }
            let perAtom = targets[i].perAtomOf != nil
            if perAtom && atomsPerGraph.count != y.count { continue }
            var sa = 0.0, ss = 0.0, ba = 0.0, bs = 0.0
            for j in 0..<y.count {
                let n = perAtom ? Double(Swift.max(1, atomsPerGraph[j])) : 1
                let e = (p[j] - y[j]) / n, eb = (b[j] - y[j]) / n
                sa += Swift.abs(e); ss += e * e
                ba += Swift.abs(eb); bs += eb * eb
            }
            targets[i].count += Double(y.count)
            targets[i].sumAbs += sa
            targets[i].sumSquares += ss
            targets[i].baselineSumAbs += ba
            targets[i].baselineSumSquares += bs
        }
    }

    /// Sums every rank's metrics (one allreduce of 2 + 5·targets doubles).
    public mutating func combine(_ comm: Communicator) throws {
        var buffer = [structures, lossSum]
        for t in targets { buffer += [t.count, t.sumAbs, t.sumSquares, t.baselineSumAbs, t.baselineSumSquares] }
        try comm.allreduceSum(&buffer)
        structures = buffer[0]
        lossSum = buffer[1]
        for i in targets.indices {
            let b = 2 + 5 * i
            targets[i].count = buffer[b]
            targets[i].sumAbs = buffer[b + 1]
            targets[i].sumSquares = buffer[b + 2]
            targets[i].baselineSumAbs = buffer[b + 3]
            targets[i].baselineSumSquares = buffer[b + 4]
        }
    }

    /// `{"<target>": {"mae", "rmse", "baseline_mae", "baseline_rmse", "units", "count"}}` for JSON output.
    public var jsonObject: [String: Any] {
        var out: [String: Any] = [:]
        for t in targets {
            out[t.name] = ["mae": t.mae, "rmse": t.rmse, "baseline_mae": t.baselineMAE, "baseline_rmse": t.baselineRMSE,
                           "units": t.units, "count": Int(t.count)] as [String: Any]
        }
        return out
    }
}
