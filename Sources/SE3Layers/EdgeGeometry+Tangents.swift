import SE3Core
import SE3Math
import SE3Tensor

/// Forward-mode rules of the edge-geometry ops: the directional derivatives of the edge
/// harmonics and radial embedding along an edge-vector tangent `v̇`,
///
///     Ẏ_i(v_e)  = ∇_v Y_i(v̂_e) · v̇_e                       (SphericalHarmonics.evaluateWithGradient)
///     ρ̇_k(v_e)  = b_k'(|v_e|) (v̂_e · v̇_e)                   (RadialBasis.table, envelope included)
///
/// Both are linear in `v̇` and recorded as ops of `v̇` alone (their forward rules are themselves,
/// their backward passes the usual vector–Jacobian products). They do not differentiate with
/// respect to the edge vectors: second derivatives in the positions (Hessians) are not
/// supported, and the rules stop with a message when the vectors require a gradient. Force
/// training needs none: it seeds constant positions (`docs/forces.md`).
extension EdgeGeometry {
    static func directionalHarmonics<T>(_ v: [SIMD3<Double>], tangent dv: Variable<T>, lmax: Int,
                                        of vectors: Variable<T>) -> Variable<T> {
        require(!vectors.requiresGrad,
                "EdgeGeometry.sphericalHarmonics: forward mode needs constant edge vectors (no second derivatives in positions)")
        let E = v.count, M = (lmax + 1) * (lmax + 1)
        let d = dv.value.scalars
        var y = Tensor<T>(zeros: [E, M])
        var values = [Double](repeating: 0, count: M)
        var grads = [SIMD3<Double>](repeating: .zero, count: M)
        values.withUnsafeMutableBufferPointer { pv in
        grads.withUnsafeMutableBufferPointer { pg in
            for e in 0..<E {
                SphericalHarmonics.evaluateWithGradient(lmax: lmax, v[e], values: pv, gradient: pg)
                let t = SIMD3(Double(d[3 * e]), Double(d[3 * e + 1]), Double(d[3 * e + 2]))
                for i in 0..<M { y.scalars[e * M + i] = T((pg[i] * t).sum()) }
            }
        }}
        return dv.tape.custom(value: y, inputs: [dv], forward: { x, _, t in
            t[0].map { directionalHarmonics(v, tangent: $0, lmax: lmax, of: vectors) }
        }) { g in [harmonicsVJP(v, g, lmax: lmax)] }
    }

    static func directionalRadial<T>(_ v: [SIMD3<Double>], rows idx: [Int], lengths r: [Double], tangent dv: Variable<T>,
                                     basis: any RadialBasis, envelope: PolynomialEnvelope?,
                                     of vectors: Variable<T>) -> Variable<T> {
        require(!vectors.requiresGrad,
                "EdgeGeometry.radialEmbedding: forward mode needs constant edge vectors (no second derivatives in positions)")
        let (_, derivatives) = basis.table(lengths: r, envelope: envelope, withDerivative: true, as: T.self)
        let table = derivatives!, b = table.scalars, n = basis.count
        let d = dv.value.scalars
        // s_k = v̂_e · v̇_e for row k (edge e = idx[k]); zero-length rows have no direction
        var y = Tensor<T>(zeros: [idx.count, n])
        for (k, e) in idx.enumerated() where r[k] > 0 {
            let s = (v[e].x * Double(d[3 * e]) + v[e].y * Double(d[3 * e + 1]) + v[e].z * Double(d[3 * e + 2])) / r[k]
            for j in 0..<n { y.scalars[k * n + j] = T(s) * b[k * n + j] }
        }
        return dv.tape.custom(value: y, inputs: [dv], forward: { x, _, t in
            t[0].map { directionalRadial(v, rows: idx, lengths: r, tangent: $0, basis: basis, envelope: envelope, of: vectors) }
        }) { g in [radialVJP(v, rows: idx, lengths: r, g, derivatives: table, count: n)] }
    }
}
