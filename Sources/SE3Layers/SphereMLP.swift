import SE3Core
import SE3Math
import SE3Tensor

/// A point-wise MLP on the sphere as one tape op (eSCN's node block and its energy and force
/// heads, seed eq. 13–16): the inputs' coefficients `x_i` `[N, K, C_i]` are sampled at `P` points
/// (`A` `[P, K]`), every point's channels `[x_1(p), x_2(p), …]` go through the layers
/// (`Dense`, `k·SiLU` between layers, none after the last), and the results are combined over
/// the points (`B` `[Q, P]`):
///
///     out[a, q, c] = Σ_p B[q, p] · MLP([x_1(p) | x_2(p) | …])_c,    x_i(p) = Σ_k A[p, k] x_i[a, k]
///
/// `B` is a `SphereGrid`'s `fromGrid` (back to coefficients: `Q = K`) or quadrature weights
/// (`Q = 1`, or `w_p · p` for vectors: `Q = 3`). The op keeps nothing but its inputs: the backward
/// pass recomputes the grid values chunk by chunk (`[N, Q, C_out]` out).
public struct SphereMLP: Sendable {
    public let layers: [Dense]
    /// `A` `[points, coefficients]` and `B` `[outputs, points]`, row-major.
    public let sampling: [Double]
    public let reduction: [Double]
    public let points: Int
    public let coefficients: Int
    public let outputs: Int

    public init(layers: [Dense], sampling: [Double], points: Int, coefficients: Int, reduction: [Double], outputs: Int) {
        require(layers.count >= 2, "SphereMLP: at least two layers (the first acts on coefficients, the last after the reduction)")
        require(sampling.count == points * coefficients, "SphereMLP: sampling matrix of \(sampling.count) values, expected \(points) × \(coefficients)")
        require(reduction.count == outputs * points, "SphereMLP: reduction matrix of \(reduction.count) values, expected \(outputs) × \(points)")
        for (a, b) in zip(layers, layers.dropFirst()) {
            require(a.weight.shape[1] == b.weight.shape[0], "SphereMLP: layer widths \(a.weight.shape) then \(b.weight.shape)")
        }
        require(layers.allSatisfy { $0.scale == 1 / Double($0.weight.shape[0]).squareRoot() },
                "SphereMLP: layers scale by 1/√fan_in (a Dense with its own scale is not supported)")
        self.layers = layers
        self.sampling = sampling
        self.reduction = reduction
        self.points = points
        self.coefficients = coefficients
        self.outputs = outputs
    }

    /// Input width (the sum of the inputs' channels) and output width.
    public var inputWidth: Int { layers[0].weight.shape[0] }
    public var outputWidth: Int { layers[layers.count - 1].weight.shape[1] }

    /// `inputs` `[N, K, C_i]` with `Σ C_i = inputWidth`; `[N, outputs, outputWidth]`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func callAsFunction<T>(_ inputs: [Variable<T>]) -> Variable<T> {
        let N = inputs.first?.shape.first ?? 0, K = coefficients
        let widths = inputs.map { $0.shape.last ?? 0 }
        for x in inputs { require(x.rank == 3 && x.shape[0] == N && x.shape[1] == K, "SphereMLP: input shape \(x.shape), expected [\(N), \(K), C]") }
        require(widths.reduce(0, +) == inputWidth, "SphereMLP: input channels \(widths) for a first layer of \(inputWidth)")
        let tape = inputs[0].tape
        var params: [Variable<T>] = []
        for l in layers { params.append(tape.parameter(l.weight)); if let b = l.bias { params.append(tape.parameter(b)) } }
        let kernel = Kernel<T>(self, params: params.map(\.value.scalars), widths: widths, nodes: N)
        let values = inputs.map(\.value)
        var out = Tensor<T>(zeros: [N, outputs, outputWidth])
        out.scalars.withUnsafeMutableBufferPointer { po in
            kernel.withInputs(values) { xs in
                var a0 = 0
                while a0 < N {
                    let n = min(kernel.chunk, N - a0)
                    kernel.forward(xs, atoms: a0..<(a0 + n), out: po.baseAddress!)
                    a0 += n
                }
            }
        }
        let need = inputs.map(\.requiresGrad)
        return tape.custom(value: out, inputs: inputs + params) { g in
            kernel.backward(values, gradient: g, needInputs: need)
        }
    }
}
