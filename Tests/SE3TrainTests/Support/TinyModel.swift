import Foundation
import SE3Math
import SE3Models
import SE3Tensor
import SE3Train

/// A small rotation-invariant/-equivariant message-passing model used to test the trainer
/// without depending on a particular architecture:
///   h⁰_i = E[Z_i];  m_e = (φ(r_e) W_r) ⊙ h⁰_{src(e)};  h_i = silu(h⁰_i + (Σ_{e→i} m_e) W_u)
///   scalar heads: s_i = h_i w_t (+ b_t), graph = mean or sum over atoms (sum for extensive);
///   vector heads: v_i = Σ_{e→i} (φ(r_e) a_t)(h_{src(e)} g_t) r̂_e, graph = Σ_i v_i.
/// φ: 8 Gaussians on [0, cutoff]. Rank-2 heads are not supported.
final class TinyModel<T: TensorScalar>: GraphModel {
    typealias Scalar = T
    let config: ModelConfig
    let store = ParameterStore<T>()
    let outputs: [OutputSpec]
    let hidden: Int
    let basis = 8
    private var index: [Int32: Int] = [:]

    struct Unsupported: Error, CustomStringConvertible { var description: String }

    init(config: ModelConfig, outputs: [OutputSpec], seed: UInt64, hidden: Int = 8) throws {
        self.config = config
        self.outputs = outputs
        self.hidden = hidden
        for (i, z) in config.common.elements.enumerated() { index[Int32(z)] = i }
        var rng = SeededGenerator(seed: seed)
        store.register("embedding", shape: [config.common.elements.count, hidden], initializer: .normal(std: 1), rng: &rng)
        store.register("interaction/radial", shape: [basis, hidden], initializer: .lecun(fanIn: basis), rng: &rng)
        store.register("interaction/update", shape: [hidden, hidden], initializer: .lecun(fanIn: hidden), rng: &rng)
        for o in outputs {
            switch o.kind {
            case .scalar:
                store.register("head/\(o.name)/w", shape: [hidden, 1], initializer: .lecun(fanIn: hidden), rng: &rng)
                store.register("head/\(o.name)/b", shape: [], initializer: .zeros, rng: &rng)
            case .vector:
                store.register("head/\(o.name)/a", shape: [basis, 1], initializer: .lecun(fanIn: basis), rng: &rng)
                store.register("head/\(o.name)/g", shape: [hidden, 1], initializer: .lecun(fanIn: hidden), rng: &rng)
            case .rank2:
                throw Unsupported(description: "TinyModel has no rank-2 heads")
            }
        }
    }

    func p(_ name: String, _ tape: Tape<T>) -> Variable<T> { tape.parameter(store.parameter(named: name)!) }

    /// Edge geometry is read from the graph as constants (the trainer tests need no forces).
    func forward(_ graph: AtomGraph, geometry: GraphGeometry<T>, tape: Tape<T>) throws -> [String: Variable<T>] {
        let a = graph.atomCount, e = graph.edgeCount
        var onehot = [T](repeating: 0, count: a * config.common.elements.count)
        for (i, z) in graph.atomicNumbers.enumerated() {
            guard let k = index[z] else { throw Unsupported(description: "element Z=\(z) not in model.elements") }
            onehot[i * config.common.elements.count + k] = 1
        }
        var rbf = [T](repeating: 0, count: e * basis)
        var unit = [T](repeating: 0, count: e * 3)
        let width = config.common.cutoff / Double(basis)
        for (k, v) in graph.edgeVectors.enumerated() {
            let d = (v * v).sum().squareRoot()
            for b in 0..<basis {
                let mu = Double(b) * width
                let z: Double = (d - mu) / width
                rbf[k * basis + b] = T(Foundation.exp(-z * z))
            }
            for c in 0..<3 { unit[k * 3 + c] = T(v[c] / max(d, 1e-9)) }
        }
        let phi = tape.constant(Tensor(shape: [e, basis], scalars: rbf))
        let h0 = tape.constant(Tensor(shape: [a, config.common.elements.count], scalars: onehot)).matmul(p("embedding", tape))
        let m = phi.matmul(p("interaction/radial", tape)) * h0.gatherRows(graph.edgeSource)
        let agg = m.scatterAddRows(graph.edgeDestination, count: a)
        let h = (h0 + agg.matmul(p("interaction/update", tape))).silu()
        var out: [String: Variable<T>] = [:]
        for o in outputs {
            switch o.kind {
            case .scalar:
                let s = addRowVector(h.matmul(p("head/\(o.name)/w", tape)), p("head/\(o.name)/b", tape))
                if o.level == .atom {
                    out[o.name] = s
                } else if o.extensive || config.common.readout == .sum {
                    out[o.name] = segmentSum(s, segments: graph.atomGraph, count: graph.graphCount)
                } else {
                    out[o.name] = segmentMean(s, segments: graph.atomGraph, count: graph.graphCount)
                }
            case .vector:
                let w = phi.matmul(p("head/\(o.name)/a", tape)) * h.gatherRows(graph.edgeSource).matmul(p("head/\(o.name)/g", tape))
                let ev = mulColumn(tape.constant(Tensor(shape: [e, 3], scalars: unit)), w)
                let perAtom = ev.scatterAddRows(graph.edgeDestination, count: a)
                out[o.name] = o.level == .atom ? perAtom : segmentSum(perAtom, segments: graph.atomGraph, count: graph.graphCount)
            case .rank2:
                throw Unsupported(description: "TinyModel has no rank-2 heads")
            }
        }
        return out
    }

    static func maker() -> ModelMaker {
        ModelMaker(float32: { config, outputs, seed in try TinyModel<Float>(config: config, outputs: outputs, seed: seed) },
                   float64: { config, outputs, seed in try TinyModel<Double>(config: config, outputs: outputs, seed: seed) })
    }
}
