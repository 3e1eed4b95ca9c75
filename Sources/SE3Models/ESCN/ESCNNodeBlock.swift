import SE3Layers
import SE3Math
import SE3Tensor

/// eSCN's point-wise block on the aggregated messages (fairchem's `LayerBlock` after the message
/// block): both the node features `x` and the messages `m` are sampled on the node grid, and at
/// every grid point `p`
///
///     u(p) = W₃ act(W₂ act(W₁ [x(p), m(p)]))        `2C → C → C → C`, no biases, act = k·SiLU
///
/// then projected back to coefficients (`SphereGrid.fromGrid`), one fused op (`SphereMLP`).
/// Parameters `"<name>.w1"`, `.w2`, `.w3`.
struct ESCNNodeBlock: Sendable {
    let mlp: SphereMLP

    init<T>(store: ParameterStore<T>, name: String, channels: Int, grid: SphereGrid, rng: inout SeededGenerator) throws {
        let layers = [try Dense(store: store, name: "\(name).w1", inputs: 2 * channels, outputs: channels, bias: false, rng: &rng),
                      try Dense(store: store, name: "\(name).w2", inputs: channels, outputs: channels, bias: false, rng: &rng),
                      try Dense(store: store, name: "\(name).w3", inputs: channels, outputs: channels, bias: false, rng: &rng)]
        mlp = SphereMLP(layers: layers, sampling: grid.toGrid, points: grid.points, coefficients: grid.coefficients.count,
                        reduction: grid.fromGrid, outputs: grid.coefficients.count)
    }

    func callAsFunction<T>(_ x: SphericalFeatures<T>, messages m: SphericalFeatures<T>) -> SphericalFeatures<T> {
        SphericalFeatures(mlp([x.variable, m.variable]), lmax: x.lmax, channels: x.channels)
    }
}
