import SE3Core
import SE3Math
import SE3Tensor

/// The geometric inputs of an edge convolution (seed eq. 3, 5) as differentiable tape ops, the one
/// implementation of edge vectors, lengths, spherical harmonics and radial embeddings in se3:
///
///     vectors[e]               = x[src(e)] − x[dst(e)] + Σ_k n_{e,k} · a_k(g_e)     (Å; n: integer lattice shift,
///                                                                               a_k: cell rows of the edge's graph)
///     lengths[r]               = |v_{row(r)}|
///     sphericalHarmonics[e, i] = Y_i(v_e / |v_e|),   i = l² + l + m,   l = 0...lmax
///     radialEmbedding[r, k]    = b_k(|v_{row(r)}|) · u(|v_{row(r)}| / cutoff)
///     envelope[r]              = u(|v_{row(r)}| / cutoff)
///
/// (`SphericalHarmonics` conventions: polar axis z, component normalisation `Σ_m Y_lm² = 2l+1`,
/// `Y^1 = √3 (y, z, x)/r`; a zero vector gives `Y^0 = 1`, `Y^{l>0} = 0` and zero gradient.)
///
/// Values are computed in Double from `exact` (the same vectors in Double, e.g.
/// `AtomGraph.edgeVectors`; derived from the variable when omitted) and rounded to `T` once;
/// gradients flow back through `vectors` to positions and cells, so forces (`−∂E/∂x`) and the
/// virial exist. On constant inputs the ops record no backward: a model whose outputs need no
/// position gradient pays only for the forward values.
public enum EdgeGeometry {
    /// Edge vectors `[E, 3]` from positions `[A, 3]` and cells `[G, 3, 3]` (rows `a_0, a_1, a_2`
    /// of graph `g`; only read for edges with a non-zero shift); `edgeGraph[e]` is the graph of
    /// edge `e`. The value is `exact` rounded to `T`; backward
    /// `∂x[src] += G_e`, `∂x[dst] −= G_e`, `∂a_k(g_e) += n_{e,k} G_e`.
    public static func vectors<T>(positions: Variable<T>, cells: Variable<T>, sources: [Int32], destinations: [Int32],
                                  shifts: [SIMD3<Int32>], edgeGraph: [Int32], exact: [SIMD3<Double>]) -> Variable<T> {
        let E = sources.count, A = positions.shape.first ?? 0, G = cells.shape.first ?? 0
        require(positions.shape == [A, 3], "EdgeGeometry.vectors: positions shape \(positions.shape), expected [A, 3]")
        require(cells.shape == [G, 3, 3], "EdgeGeometry.vectors: cells shape \(cells.shape), expected [G, 3, 3]")
        require(destinations.count == E && shifts.count == E && edgeGraph.count == E && exact.count == E,
                "EdgeGeometry.vectors: \(E) sources, \(destinations.count) destinations, \(shifts.count) shifts, \(edgeGraph.count) graphs, \(exact.count) vectors")
        var value = [T](repeating: 0, count: 3 * E)
        for e in 0..<E {
            value[3 * e] = T(exact[e].x); value[3 * e + 1] = T(exact[e].y); value[3 * e + 2] = T(exact[e].z)
        }
        return linearVectors(positions: positions, cells: cells, value: Tensor(shape: [E, 3], scalars: value),
                             sources: sources, destinations: destinations, shifts: shifts, edgeGraph: edgeGraph)
    }

    /// The op `v_e = x[src] + n_e · cell − x[dst]` recorded with a given value (linear in positions
    /// and cells, so its forward rule is itself: `v̇_e = ẋ[src] + n_e · ċell − ẋ[dst]`).
    static func linearVectors<T>(positions: Variable<T>, cells: Variable<T>, value: Tensor<T>, sources: [Int32],
                                 destinations: [Int32], shifts: [SIMD3<Int32>], edgeGraph: [Int32]) -> Variable<T> {
        let E = sources.count, A = positions.shape[0], G = cells.shape[0]
        let needCells = cells.requiresGrad
        let rule: Tape<T>.ForwardRule = { x, _, t in
            let tape = x[0].tape
            let dp = t[0] ?? tape.constant(Tensor(zeros: [A, 3])), dc = t[1] ?? tape.constant(Tensor(zeros: [G, 3, 3]))
            var dv = [T](repeating: 0, count: 3 * E)
            let p = dp.value.scalars, c = dc.value.scalars
            for e in 0..<E {
                let s = 3 * Int(sources[e]), d = 3 * Int(destinations[e]), base = 9 * Int(edgeGraph[e])
                for j in 0..<3 {
                    var v = p[s + j] - p[d + j]
                    for k in 0..<3 where shifts[e][k] != 0 { v += T(shifts[e][k]) * c[base + 3 * k + j] }
                    dv[3 * e + j] = v
                }
            }
            return linearVectors(positions: dp, cells: dc, value: Tensor(shape: [E, 3], scalars: dv), sources: sources,
                                 destinations: destinations, shifts: shifts, edgeGraph: edgeGraph)
        }
        return positions.tape.custom(value: value, inputs: [positions, cells], forward: rule) { g in
            var gx = Tensor<T>(zeros: [A, 3])
            var gc: Tensor<T>? = needCells ? Tensor<T>(zeros: [G, 3, 3]) : nil
            g.scalars.withUnsafeBufferPointer { pg in
            gx.scalars.withUnsafeMutableBufferPointer { px in
                for e in 0..<E {
                    let s = 3 * Int(sources[e]), d = 3 * Int(destinations[e])
                    for j in 0..<3 { px[s + j] += pg[3 * e + j]; px[d + j] -= pg[3 * e + j] }
                    if gc != nil, shifts[e] != .zero {
                        let base = 9 * Int(edgeGraph[e])
                        for k in 0..<3 where shifts[e][k] != 0 {
                            let n = T(shifts[e][k])
                            for j in 0..<3 { gc!.scalars[base + 3 * k + j] += n * pg[3 * e + j] }
                        }
                    }
                }
            }}
            return [gx, gc]
        }
    }

    /// Lengths `|v_{rows[r]}|` (all rows when `rows` is nil), shape `[R]`; gradient `G_r v̂`
    /// (0 at `v = 0`).
    public static func lengths<T>(_ vectors: Variable<T>, exact: [SIMD3<Double>]? = nil, rows: [Int32]? = nil) -> Variable<T> {
        let v = exactVectors(vectors, exact, op: "lengths")
        let idx = rowIndices(rows, count: v.count, op: "lengths")
        let r = idx.map { (v[$0] * v[$0]).sum().squareRoot() }
        let E = v.count
        return vectors.tape.custom(value: Tensor(shape: [idx.count], scalars: r.map { T($0) }), inputs: [vectors]) { g in
            var gv = Tensor<T>(zeros: [E, 3])
            for (k, e) in idx.enumerated() where r[k] > 0 {
                let s = Double(g.scalars[k]) / r[k]
                for j in 0..<3 { gv.scalars[3 * e + j] += T(s * v[e][j]) }
            }
            return [gv]
        }
    }

    /// Harmonics `Y(v_e/|v_e|)`, shape `[E, (lmax+1)²]`; backward uses `SphericalHarmonics.backward`
    /// (the exact vector–Jacobian product, tangent to the sphere), in Double.
    public static func sphericalHarmonics<T>(_ vectors: Variable<T>, exact: [SIMD3<Double>]? = nil, lmax: Int) -> Variable<T> {
        require(lmax >= 0 && lmax <= SphericalHarmonics.maxL, "EdgeGeometry.sphericalHarmonics: lmax \(lmax)")
        let v = exactVectors(vectors, exact, op: "sphericalHarmonics")
        let E = v.count, M = (lmax + 1) * (lmax + 1)
        var y = Tensor<T>(zeros: [E, M])
        withUnsafeTemporaryAllocation(of: Double.self, capacity: M) { buffer in
            y.scalars.withUnsafeMutableBufferPointer { py in
                for e in 0..<E {
                    SphericalHarmonics.evaluate(lmax: lmax, v[e], into: buffer.baseAddress!)
                    let row = py.baseAddress! + e * M
                    for i in 0..<M { row[i] = T(buffer[i]) }
                }
            }
        }
        return vectors.tape.custom(value: y, inputs: [vectors], forward: { x, _, t in
            t[0].map { directionalHarmonics(v, tangent: $0, lmax: lmax, of: x[0]) }
        }) { g in [harmonicsVJP(v, g, lmax: lmax)] }
    }

    /// `∂v_e = Σ_i G_ei ∂Y_i(v̂_e)/∂v_e` `[E, 3]` (`SphericalHarmonics.backward`): the backward pass
    /// of the harmonics and of their directional derivative (`directionalHarmonics`).
    static func harmonicsVJP<T>(_ v: [SIMD3<Double>], _ g: Tensor<T>, lmax: Int) -> Tensor<T> {
        let E = v.count, M = (lmax + 1) * (lmax + 1)
        var gv = Tensor<T>(zeros: [E, 3])
        var up = [Double](repeating: 0, count: M)
        for e in 0..<E {
            for i in 0..<M { up[i] = Double(g.scalars[e * M + i]) }
            let d = up.withUnsafeBufferPointer { SphericalHarmonics.backward(lmax: lmax, v[e], upstream: $0) }
            gv.scalars[3 * e] = T(d.x); gv.scalars[3 * e + 1] = T(d.y); gv.scalars[3 * e + 2] = T(d.z)
        }
        return gv
    }

    /// `∂v_e += (Σ_k G_rk b'_rk) v̂_e` for the rows `r` of edges `idx[r]` (`b'` the radial
    /// derivatives `[R, n]`): the backward pass of the radial embedding and of its directional
    /// derivative (`directionalRadial`).
    static func radialVJP<T>(_ v: [SIMD3<Double>], rows idx: [Int], lengths r: [Double], _ g: Tensor<T>,
                             derivatives b: Tensor<T>, count n: Int) -> Tensor<T> {
        var gv = Tensor<T>(zeros: [v.count, 3])
        for (k, e) in idx.enumerated() where r[k] > 0 {
            var s = 0.0
            for j in 0..<n { s += Double(g.scalars[k * n + j]) * Double(b.scalars[k * n + j]) }
            s /= r[k]
            for j in 0..<3 { gv.scalars[3 * e + j] += T(s * v[e][j]) }
        }
        return gv
    }

    /// Radial embedding `b_k(|v_r|) · u(|v_r|/c)` of the rows `rows` (all when nil), shape
    /// `[R, basis.count]` (`u ≡ 1` without envelope; exactly zero at and beyond the cutoff);
    /// backward `∂v_r += (Σ_k G_rk · d(b_k u)/dr) · v̂_r`.
    public static func radialEmbedding<T>(_ vectors: Variable<T>, exact: [SIMD3<Double>]? = nil, rows: [Int32]? = nil,
                                          basis: any RadialBasis, envelope: PolynomialEnvelope?) -> Variable<T> {
        let v = exactVectors(vectors, exact, op: "radialEmbedding")
        let idx = rowIndices(rows, count: v.count, op: "radialEmbedding")
        let r = idx.map { (v[$0] * v[$0]).sum().squareRoot() }
        let needGrad = vectors.requiresGrad
        let (values, derivatives) = basis.table(lengths: r, envelope: envelope, withDerivative: needGrad, as: T.self)
        let n = basis.count
        return vectors.tape.custom(value: values, inputs: [vectors], forward: { x, _, t in
            t[0].map { directionalRadial(v, rows: idx, lengths: r, tangent: $0, basis: basis, envelope: envelope, of: x[0]) }
        }) { g in
            guard let derivatives else { return [nil] }
            return [radialVJP(v, rows: idx, lengths: r, g, derivatives: derivatives, count: n)]
        }
    }

    /// The cutoff envelope `u(|v_r| / cutoff)` of the rows `rows` (all when nil), shape `[R]`;
    /// backward `∂v_r += G_r u'(|v_r|/c) / c · v̂_r`. Multiplies radial weights that are not zero
    /// at the cutoff by themselves (networks with biases or layer norms), so messages still switch
    /// off smoothly there.
    public static func envelope<T>(_ vectors: Variable<T>, exact: [SIMD3<Double>]? = nil, rows: [Int32]? = nil,
                                   envelope: PolynomialEnvelope, cutoff: Double) -> Variable<T> {
        let v = exactVectors(vectors, exact, op: "envelope")
        let idx = rowIndices(rows, count: v.count, op: "envelope")
        let r = idx.map { (v[$0] * v[$0]).sum().squareRoot() }
        let value = r.map { T(envelope.value($0 / cutoff)) }
        let E = v.count
        return vectors.tape.custom(value: Tensor(shape: [idx.count], scalars: value), inputs: [vectors]) { g in
            var gv = Tensor<T>(zeros: [E, 3])
            for (k, e) in idx.enumerated() where r[k] > 0 {
                let s = Double(g.scalars[k]) * envelope.derivative(r[k] / cutoff) / cutoff / r[k]
                for j in 0..<3 { gv.scalars[3 * e + j] += T(s * v[e][j]) }
            }
            return [gv]
        }
    }

    static func exactVectors<T>(_ vectors: Variable<T>, _ exact: [SIMD3<Double>]?, op: String) -> [SIMD3<Double>] {
        let E = vectors.shape.first ?? 0
        require(vectors.shape == [E, 3], "EdgeGeometry.\(op): vectors shape \(vectors.shape), expected [E, 3]")
        if let exact {
            require(exact.count == E, "EdgeGeometry.\(op): \(exact.count) exact vectors for \(E) edges")
            return exact
        }
        let s = vectors.value.scalars
        var out = [SIMD3<Double>](repeating: .zero, count: E)
        for e in 0..<E {
            let x = Double(s[3 * e]), y = Double(s[3 * e + 1]), z = Double(s[3 * e + 2])
            out[e] = SIMD3(x, y, z)
        }
        return out
    }

    static func rowIndices(_ rows: [Int32]?, count: Int, op: String) -> [Int] {
        guard let rows else { return Array(0..<count) }
        require(rows.allSatisfy { $0 >= 0 && Int($0) < count }, "EdgeGeometry.\(op): row index out of range 0..<\(count)")
        return rows.map(Int.init)
    }
}
