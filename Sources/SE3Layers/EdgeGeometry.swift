import SE3Math
import SE3Tensor

/// Edge lengths and spherical harmonics of edge vectors `r_e` (Å), the geometric inputs of
/// an edge convolution (seed eq. 3, 5).
///
///     lengths[e]               = |r_e|
///     sphericalHarmonics[e, i] = Y_i(r_e / |r_e|),   i = l² + l + m,   l = 0...lmax
///
/// (`SphericalHarmonics` conventions: polar axis z, component normalisation `Σ_m Y_lm² = 2l+1`,
/// `Y^1 = √3 (y, z, x)/r`; a zero vector gives `Y^0 = 1`, `Y^{l>0} = 0`). Computed in Double
/// and converted to `T`; on a tape they are constants (data). For forces use the
/// differentiable `EdgeGeometry.lengths(of:)` / `EdgeGeometry.sphericalHarmonics(of:lmax:)`
/// on a `[E, 3]` variable of edge vectors.
public struct EdgeGeometry: Sendable {
    public let lmax: Int
    public let vectors: [SIMD3<Double>]
    public let lengths: [Double]
    /// Row-major `[E, (lmax+1)²]`.
    public let sphericalHarmonics: [Double]

    /// Throws `LayerError` for `lmax` outside `0...SphericalHarmonics.maxL` or a non-finite vector.
    public init(vectors: [SIMD3<Double>], lmax: Int) throws {
        try LayerError.check(lmax >= 0 && lmax <= SphericalHarmonics.maxL, "EdgeGeometry", "lmax", lmax,
                             "must be in 0...\(SphericalHarmonics.maxL)")
        if let bad = vectors.firstIndex(where: { !($0.x.isFinite && $0.y.isFinite && $0.z.isFinite) }) {
            throw LayerError.invalidArgument(layer: "EdgeGeometry", field: "vectors[\(bad)]",
                                             value: "\(vectors[bad])", reason: "must be finite")
        }
        self.lmax = lmax
        self.vectors = vectors
        lengths = vectors.map { ($0 * $0).sum().squareRoot() }
        sphericalHarmonics = SphericalHarmonics.evaluate(lmax: lmax, vectors: vectors)
    }

    /// Number of edges.
    public var count: Int { vectors.count }
    /// `(lmax + 1)²`.
    public var components: Int { (lmax + 1) * (lmax + 1) }

    /// The harmonics as a `[E, (lmax+1)²]` tensor.
    public func shTensor<T: TensorScalar>(as: T.Type = T.self) -> Tensor<T> {
        Tensor(shape: [count, components], scalars: sphericalHarmonics.map { T($0) })
    }

    /// The harmonics as a constant on `tape`.
    public func sh<T>(on tape: Tape<T>) -> Variable<T> { tape.constant(shTensor(as: T.self)) }

    /// Differentiable lengths `|r_e|` of edge vectors `[E, 3]` → `[E]` (gradient `r̂_e`; 0 at 0).
    public static func lengths<T>(of vectors: Variable<T>) -> Variable<T> {
        layerCheck(vectors.rank == 2 && vectors.shape[1] == 3, "EdgeGeometry.lengths: shape \(vectors.shape), expected [E, 3]")
        let E = vectors.shape[0]
        let v = vectors.value
        var r = Tensor<T>(zeros: [E])
        for e in 0..<E {
            let x = v.scalars[3 * e], y = v.scalars[3 * e + 1], z = v.scalars[3 * e + 2]
            r.scalars[e] = (x * x + y * y + z * z).squareRoot()
        }
        let rv = r
        return vectors.tape.custom(value: r, inputs: [vectors]) { g in
            var gv = Tensor<T>(zeros: [E, 3])
            for e in 0..<E where rv.scalars[e] > 0 {
                let k = g.scalars[e] / rv.scalars[e]
                for j in 0..<3 { gv.scalars[3 * e + j] = k * v.scalars[3 * e + j] }
            }
            return [gv]
        }
    }

    /// Differentiable harmonics `Y(r_e/|r_e|)` of edge vectors `[E, 3]` → `[E, (lmax+1)²]`;
    /// backward uses `SphericalHarmonics.backward` (exact vector–Jacobian product, tangent
    /// to the sphere). Computed in Double.
    public static func sphericalHarmonics<T>(of vectors: Variable<T>, lmax: Int) -> Variable<T> {
        layerCheck(vectors.rank == 2 && vectors.shape[1] == 3, "EdgeGeometry.sphericalHarmonics: shape \(vectors.shape), expected [E, 3]")
        layerCheck(lmax >= 0 && lmax <= SphericalHarmonics.maxL, "EdgeGeometry.sphericalHarmonics: lmax \(lmax)")
        let E = vectors.shape[0], M = (lmax + 1) * (lmax + 1)
        let vs = (0..<E).map { e in
            SIMD3<Double>(Double(vectors.value.scalars[3 * e]), Double(vectors.value.scalars[3 * e + 1]),
                          Double(vectors.value.scalars[3 * e + 2]))
        }
        let y = Tensor<T>(shape: [E, M], scalars: SphericalHarmonics.evaluate(lmax: lmax, vectors: vs).map { T($0) })
        return vectors.tape.custom(value: y, inputs: [vectors]) { g in
            var gv = Tensor<T>(zeros: [E, 3])
            var up = [Double](repeating: 0, count: M)
            for e in 0..<E {
                for i in 0..<M { up[i] = Double(g.scalars[e * M + i]) }
                let d = up.withUnsafeBufferPointer { SphericalHarmonics.backward(lmax: lmax, vs[e], upstream: $0) }
                gv.scalars[3 * e] = T(d.x); gv.scalars[3 * e + 1] = T(d.y); gv.scalars[3 * e + 2] = T(d.z)
            }
            return [gv]
        }
    }
}
