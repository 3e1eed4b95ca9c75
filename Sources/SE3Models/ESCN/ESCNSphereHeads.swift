import SE3Layers
import SE3Math
import SE3Tensor

/// eSCN's output blocks (fairchem's `EnergyBlock` and `ForceBlock`): the node features are sampled at
/// the points `p` of a sphere quadrature with weights `w_p` (`Σ w_p = 1`), `x(p) = Σ_lm Y_lm(p) x_lm`,
/// and per atom
///
///     scalar (energy):         y_a = Σ_p w_p MLP(x_a(p))                  (invariant)
///     vector (direct forces):  F_a = Σ_p w_p MLP(x_a(p)) · p              (a 1o vector)
///
/// with `MLP: C → C → C → 1` (k·SiLU, biases on the hidden layers). fairchem averages over a spiral
/// of points; here the quadrature is the Gauss–Legendre × equispaced grid of `SphereGrid` with
/// `n × 2n` points, `2n² ≥ sphere_samples` (128 samples: 8 × 16), whose error falls exponentially
/// rather than as a power of the number of points. Both outputs are equivariant up to that
/// error. Forces from this head are NOT conservative (not `−∂E/∂x`). Graph outputs pool the
/// per-atom values (`Readout`). Parameters `"heads.<name>.w1"`, `.w2`, `.w3`.
struct ESCNSphereHead: Sendable {
    let spec: OutputSpec
    let readout: Readout
    let mlp: SphereMLP

    /// `sampling` `[P, (lmax+1)²]` at the quadrature's points (`SphereGrid.samplingMatrix`).
    init<T>(spec: OutputSpec, store: ParameterStore<T>, channels: Int, readout: Readout, lmax: Int,
            quadrature: [(point: SIMD3<Double>, weight: Double)], rng: inout SeededGenerator) throws {
        self.spec = spec
        self.readout = spec.extensive ? .sum : (readout == .max && spec.kind != .scalar ? .mean : readout)
        let p = "heads.\(spec.name)"
        let layers = [try Dense(store: store, name: "\(p).w1", inputs: channels, outputs: channels, rng: &rng),
                      try Dense(store: store, name: "\(p).w2", inputs: channels, outputs: channels, rng: &rng),
                      try Dense(store: store, name: "\(p).w3", inputs: channels, outputs: 1, bias: false, rng: &rng)]
        let P = quadrature.count, K = (lmax + 1) * (lmax + 1)
        let sampling = SphereGrid.samplingMatrix(coefficients: SphereGrid.nodeCoefficients(lmax: lmax), at: quadrature.map(\.point))
        // B: [1, P] weights (scalars) or [3, P] weighted points (vectors)
        let reduction: [Double] = spec.kind == .scalar ? quadrature.map(\.weight)
            : (0..<3).flatMap { i in quadrature.map { $0.weight * $0.point[i] } }
        mlp = SphereMLP(layers: layers, sampling: sampling, points: P, coefficients: K, reduction: reduction,
                        outputs: spec.kind == .scalar ? 1 : 3)
    }

    /// `x` `[N, (lmax+1)², C]` node features.
    func callAsFunction<T>(_ x: Variable<T>, graph: AtomGraph) -> Variable<T> {
        let perAtom = reshape(mlp([x]), [x.shape[0], spec.kind == .scalar ? 1 : 3])
        return spec.level == .graph ? readout.pool(perAtom, graph: graph) : perAtom
    }

    /// The quadrature of at least `samples` points: `SphereGrid.quadrature` with `n × 2n` points,
    /// `n = max(2, ⌈√(samples / 2)⌉)`.
    static func quadrature(_ samples: Int) -> [(point: SIMD3<Double>, weight: Double)] {
        var n = 2
        while 2 * n * n < samples { n += 1 }
        return SphereGrid.quadrature(latitudes: n, longitudes: 2 * n)
    }
}
