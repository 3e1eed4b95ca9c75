import SE3Config
import SE3Data
import SE3Tensor

/// The training loss on standardised values (see `TargetNormalizer`).
///
/// With L(d) = |d| (`l1`, default) or d² (`mse`), target weights w_t, k_t components, and the
/// model output o and standardised target t, the loss of structure g (N_g atoms) is
///
///     ℓ_g = Σ_t w_t ℓ_{g,t},
///     graph target:     ℓ_{g,t} = (1/k_t) Σ_c L(o_gc − t_gc)            (÷ N_g more if extensive:
///                                                                          the error per atom)
///     per-atom target:  ℓ_{g,t} = (1/(N_g k_t)) Σ_{i∈g} Σ_c L(o_ic − t_ic)  (averaged over atoms)
///
/// `evaluate` returns the SUM Σ_g ℓ_g over the batch (the quantity whose gradient every rank
/// computes; dividing the allreduced sum by the global count gives the gradient of the mean).
public struct LossFunction: Equatable, Sendable {
    /// `training.loss`.
    public enum Kind: String, ConfigChoice { case l1, mse }
    public var kind: Kind
    /// w_t by target name.
    public var weights: [String: Double]

    public init(kind: Kind, weights: [String: Double]) {
        self.kind = kind
        self.weights = weights
    }

    public init(config: TrainConfig) {
        self.init(kind: config.training.loss,
                  weights: Dictionary(uniqueKeysWithValues: config.targets.map { ($0.name, $0.weight) }))
    }

    /// The batch loss Σ_g ℓ_g on `tape`, and ℓ_g per structure (Double, for logging and validation).
    /// - Throws: `DataError` if an output is missing or has the wrong shape.
    public func evaluate<T: TensorScalar>(outputs: [String: Variable<T>], targets: [String: [Double]],
                                          normalizer: TargetNormalizer, batch: GraphBatch,
                                          tape: Tape<T>, skipping: Set<String> = []) throws -> (loss: Variable<T>, perStructure: [Double]) {
        let g = batch.graphCount
        var perStructure = [Double](repeating: 0, count: g)
        var total: Variable<T>? = nil
        let atomsPerGraph = (0..<g).map { batch.atomOffsets[$0 + 1] - batch.atomOffsets[$0] }
        for t in normalizer.targets where !skipping.contains(t.name) {
            guard let o = outputs[t.name] else {
                throw DataError(file: "model", field: t.name, "the model returned no output for target \(t.name)")
            }
            guard let y = targets[t.name] else {
                throw DataError(file: "batch", field: "/\(t.level.rawValue)/\(t.name)", "no standardised values for \(t.name)")
            }
            let k = t.components
            let rows = t.level == .graph ? g : batch.atomCount
            guard o.count == rows * k, o.shape.first == rows, y.count == rows * k else {
                throw DataError(file: "model", field: t.name,
                                "output shape \(o.shape) for \(rows) \(t.level.rawValue) rows of \(k) components (targets: \(y.count) values)")
            }
            let (elementWeights, rowGraph) = self.elementWeights(t, batch: batch, atomsPerGraph: atomsPerGraph)
            let weight = elementWeights.map { T($0) }
            let shape = o.shape
            let diff = o - tape.constant(Tensor(shape: shape, scalars: y.map { T($0) }))
            let l = kind == .l1 ? abs(diff) : square(diff)
            let term = sum(l * tape.constant(Tensor(shape: shape, scalars: weight)))
            total = total.map { $0 + term } ?? term
            l.value.scalars.withUnsafeBufferPointer { lp in
                for r in 0..<rows {
                    var s = 0.0
                    for j in 0..<k { s += Double(lp[r * k + j]) * Double(weight[r * k + j]) }
                    perStructure[rowGraph[r]] += s
                }
            }
        }
        let loss = total ?? tape.constant(Tensor(0))
        return (loss, perStructure)
    }

    /// Element weights `W` so that `Σ W ⊙ L(o − t) = Σ_g w_t ℓ_{g,t}` (per component `w_t/k`,
    /// divided by the graph's atom count for atom-level and extensive targets), and each row's graph.
    func elementWeights(_ t: TargetNormalizer.Target, batch: GraphBatch, atomsPerGraph: [Int]) -> ([Double], [Int]) {
        let w = weights[t.name] ?? 1, k = t.components
        let rows = t.level == .graph ? batch.graphCount : batch.atomCount
        var weight = [Double](repeating: 0, count: rows * k)
        var rowGraph = [Int](repeating: 0, count: rows)
        for r in 0..<rows {
            let graph = t.level == .graph ? r : Int(batch.graphIndex[r])
            rowGraph[r] = graph
            var c = w / Double(k)
            if t.level == .atom || t.extensive { c /= Double(max(1, atomsPerGraph[graph])) }
            for j in 0..<k { weight[r * k + j] = c }
        }
        return (weight, rowGraph)
    }

    /// The loss term of a target whose prediction is not on the tape (conservative forces): per
    /// structure `Σ W ⊙ L(p − y)` and the direction `u = ∂(Σ W ⊙ L)/∂p` (`W sign(p − y)` for L1,
    /// `2 W (p − y)` for MSE), both in standardised units.
    public func term<T: TensorScalar>(_ t: TargetNormalizer.Target, prediction p: Tensor<T>, target y: [Double],
                                      batch: GraphBatch) -> (perStructure: [Double], direction: Tensor<T>) {
        let atomsPerGraph = (0..<batch.graphCount).map { batch.atomOffsets[$0 + 1] - batch.atomOffsets[$0] }
        let (weight, rowGraph) = elementWeights(t, batch: batch, atomsPerGraph: atomsPerGraph)
        var per = [Double](repeating: 0, count: batch.graphCount)
        var u = [T](repeating: 0, count: p.count)
        let k = t.components
        for i in 0..<min(p.count, y.count) {
            let d = Double(p.scalars[i]) - y[i]
            per[rowGraph[i / k]] += weight[i] * (kind == .l1 ? Swift.abs(d) : d * d)
            u[i] = T(kind == .l1 ? weight[i] * (d > 0 ? 1 : (d < 0 ? -1 : 0)) : 2 * weight[i] * d)
        }
        return (per, Tensor(shape: p.shape, scalars: u))
    }
}
