import SE3Layers
import SE3Math
import SE3Tensor

/// One output head on the final node features `V` `[N, M, C]` (all maps `1/√C`-scaled, `N(0,1)`
/// weights, zero biases; `s = V[·, l=0, ·]`):
///
///     scalar (0e):      y_a = w₂ · k·SiLU(W₁ s_a / √C + b₁) / √C + b₂                 (invariant MLP)
///     vector (1o):      y_a = P (Σ_c w_c V^{1}_{a,·,c}) / √C                            (Cartesian x y z, `CartesianBasis.vector`)
///     rank 2 (0e + 2e): y_a = (w⁰·s_a/√C + b) I + S(Σ_c w²_c V^{2}_{a,·,c} / √C)       (row-major 3×3, `CartesianBasis.rank2`)
///
/// Graph-level heads pool the per-atom values over each graph's atoms (`Readout`): a sum for
/// extensive outputs, otherwise `model.readout`; under `readout: max` a scalar graph head is
/// `y_g = MLP(max_{a ∈ g} s_a)` (the maximum per channel of the invariant features, then the MLP),
/// and vector and rank-2 graph heads use the mean. No bias on `l > 0` parts (equivariance).
///
/// Parameters (`<p>` = `"heads.<output name>"`): scalar `<p>.w1` `[C, C]`, `<p>.b1` `[C]`,
/// `<p>.w2` `[C, 1]`, `<p>.b2` `[1]`; vector `<p>.w` `[C, 1]`; rank 2 `<p>.isotropic.w` `[C, 1]`,
/// `<p>.isotropic.b` `[1]`, `<p>.anisotropic.w` `[C, 1]`.
public struct OutputHead: Sendable {
    enum Weights: Sendable {
        case scalar(w1: Parameter, b1: Parameter, w2: Parameter, b2: Parameter)
        case vector(w: Parameter)
        case rank2(isoW: Parameter, isoB: Parameter, anisoW: Parameter)
    }

    public let spec: OutputSpec
    let weights: Weights
    public let channels: Int
    /// How graph heads pool atoms: `sum` for extensive outputs, otherwise `model.readout`
    /// (`max` only for scalar heads, which then pool the invariant features before their MLP;
    /// other heads use `mean` under `max`).
    public let readout: Readout

    /// The smallest feature `lmax` the head needs: 0, 1 or 2.
    public static func requiredLmax(_ kind: OutputSpec.Kind) -> Int {
        switch kind {
        case .scalar: return 0
        case .vector: return 1
        case .rank2: return 2
        }
    }

    public init<T>(spec: OutputSpec, store: ParameterStore<T>, channels C: Int, readout: Readout,
                   rng: inout SeededGenerator) {
        self.spec = spec
        self.channels = C
        if spec.extensive { self.readout = .sum }
        else if readout == .max && spec.kind != .scalar { self.readout = .mean }
        else { self.readout = readout }
        let p = "heads.\(spec.name)"
        switch spec.kind {
        case .scalar:
            weights = .scalar(w1: store.register("\(p).w1", shape: [C, C], initializer: .normal(std: 1), rng: &rng),
                              b1: store.register("\(p).b1", shape: [C], initializer: .zeros, rng: &rng),
                              w2: store.register("\(p).w2", shape: [C, 1], initializer: .normal(std: 1), rng: &rng),
                              b2: store.register("\(p).b2", shape: [1], initializer: .zeros, rng: &rng))
        case .vector:
            weights = .vector(w: store.register("\(p).w", shape: [C, 1], initializer: .normal(std: 1), rng: &rng))
        case .rank2:
            weights = .rank2(isoW: store.register("\(p).isotropic.w", shape: [C, 1], initializer: .normal(std: 1), rng: &rng),
                             isoB: store.register("\(p).isotropic.b", shape: [1], initializer: .zeros, rng: &rng),
                             anisoW: store.register("\(p).anisotropic.w", shape: [C, 1], initializer: .normal(std: 1), rng: &rng))
        }
    }

    /// `[A, k]` for atom heads, `[G, k]` for graph heads (`k = spec.kind.components`).
    public func callAsFunction<T>(_ v: SphericalFeatures<T>, scalars s: Variable<T>, graph: AtomGraph) -> Variable<T> {
        let tape = v.tape, N = v.count, C = channels
        let inv = 1 / T(C).squareRoot()
        let perAtom: Variable<T>
        switch weights {
        case let .scalar(w1, b1, w2, b2):
            // max readout: y_g = MLP(max_{a ∈ g} s_a) (NVIDIA's QM9 recipe); otherwise pool MLP(s_a)
            let input = spec.level == .graph && readout == .max ? Readout.max.pool(s, graph: graph) : s
            let h = silu(addRowVector(matmul(input, tape.parameter(w1)) * inv, tape.parameter(b1)), scale: T(ActivationNormalization.silu))
            let y = addRowVector(matmul(h, tape.parameter(w2)) * inv, tape.parameter(b2))
            if spec.level == .graph && readout == .max { return y }
            perAtom = y
        case let .vector(w):
            let sh = reshape(matmul(reshape(slice(v.variable, axis: 1, range: 1..<4), [N * 3, C]), tape.parameter(w)), [N, 3])
            perAtom = matmul(sh, Self.constant(CartesianBasis.vector, [3, 3], tape)) * inv
        case let .rank2(isoW, isoB, anisoW):
            let a = addRowVector(matmul(s, tape.parameter(isoW)) * inv, tape.parameter(isoB))
            let q = reshape(matmul(reshape(slice(v.variable, axis: 1, range: 4..<9), [N * 5, C]), tape.parameter(anisoW)), [N, 5]) * inv
            perAtom = matmul(a, Self.constant(CartesianBasis.identity, [1, 9], tape))
                + matmul(q, Self.constant(CartesianBasis.rank2, [5, 9], tape))
        }
        guard spec.level == .graph else { return perAtom }
        return readout.pool(perAtom, graph: graph)
    }

    static func constant<T>(_ values: [Double], _ shape: [Int], _ tape: Tape<T>) -> Variable<T> {
        tape.constant(Tensor(shape: shape, scalars: values.map { T($0) }))
    }
}
