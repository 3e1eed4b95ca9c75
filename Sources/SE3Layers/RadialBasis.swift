import SE3Tensor

/// A set of `count` radial functions `b_k(r)` of the edge length `r` (Å), `k = 0..<count`.
///
/// `table(lengths:envelope:)` gives the `[E, count]` matrix `b_k(r_e) · u(r_e / cutoff)` used as
/// radial-MLP input (seed eq. 5; on a tape: `EdgeGeometry.radialEmbedding`); with a
/// `PolynomialEnvelope` it vanishes smoothly (value, first and second derivative) at
/// `r = cutoff` and is exactly zero beyond.
public protocol RadialBasis: Sendable {
    /// Number of functions.
    var count: Int { get }
    /// Cutoff radius `c` (Å).
    var cutoff: Double { get }
    /// Writes `b_k(r)` into `values[0..<count]` and, if given, `db_k/dr` into `derivatives`.
    func evaluate(_ r: Double, values: UnsafeMutablePointer<Double>, derivatives: UnsafeMutablePointer<Double>?)
}

extension RadialBasis {
    /// `[b_0(r), …, b_{count−1}(r)]`.
    public func values(_ r: Double) -> [Double] {
        [Double](unsafeUninitializedCapacity: count) { buf, n in
            evaluate(r, values: buf.baseAddress!, derivatives: nil)
            n = count
        }
    }

    /// `[db_0/dr, …]` at `r`.
    public func derivatives(_ r: Double) -> [Double] {
        var v = [Double](repeating: 0, count: count), d = v
        v.withUnsafeMutableBufferPointer { pv in
            d.withUnsafeMutableBufferPointer { pd in evaluate(r, values: pv.baseAddress!, derivatives: pd.baseAddress!) }
        }
        return d
    }

    /// `[E, count]` with rows `b_k(r_e) · u(r_e / c)` (`u ≡ 1` without envelope), and the
    /// derivative w.r.t. `r_e` when `withDerivative` is set.
    public func table<T: TensorScalar>(lengths: [Double], envelope: PolynomialEnvelope?,
                                       withDerivative: Bool = false, as: T.Type = T.self)
        -> (values: Tensor<T>, derivatives: Tensor<T>?) {
        let n = count, E = lengths.count
        var values = Tensor<T>(zeros: [E, n])
        var derivs: Tensor<T>? = withDerivative ? Tensor<T>(zeros: [E, n]) : nil
        var b = [Double](repeating: 0, count: n), db = b
        b.withUnsafeMutableBufferPointer { pb in
        db.withUnsafeMutableBufferPointer { pdb in
            for e in 0..<E {
                let r = lengths[e]
                var u = 1.0, du = 0.0
                if let envelope {
                    let d = r / cutoff
                    u = envelope.value(d)
                    du = envelope.derivative(d) / cutoff
                    if u == 0 && du == 0 { continue }          // beyond the cutoff: exactly zero
                }
                evaluate(r, values: pb.baseAddress!, derivatives: withDerivative ? pdb.baseAddress! : nil)
                for k in 0..<n { values.scalars[e * n + k] = T(pb[k] * u) }
                if withDerivative {
                    for k in 0..<n { derivs!.scalars[e * n + k] = T(pdb[k] * u + pb[k] * du) }
                }
            }
        }}
        return (values, derivs)
    }
}
