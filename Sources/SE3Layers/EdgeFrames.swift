import SE3Core
import SE3Math
import SE3Tensor

/// eSCN's edge frames (seed eq. 14–16): for every edge the rotation `R_e = Rotation.aligning(v_e)`
/// taking `v̂_e` to `+z`, its Wigner-D blocks `D^l(R_e)`, `l = 0…lmax`, and the rotation of node
/// features into the frame (keeping the orders `|m| ≤ mmax`) and back.
///
/// **Reduced layout** (`EdgeFrameLayout`): in the frame a row holds the coefficients `(l, m)` with
/// `|m| ≤ mmax`, grouped by order ("m-major"), so that an SO(2) convolution reads contiguous
/// blocks: `m = 0` for `l = 0…L`, then for each `m = 1…mmax` the `+m` block for `l = m…L` and the
/// `−m` block for `l = m…L`.
///
/// The rotations are a tape op on the edge vectors with a backward pass (so positions get
/// gradients through the frames): with `G_l = ∂L/∂D^l` and the generators `J_k^l`
/// (`WignerD.generators`), a perturbation `δR = Ω R` changes the loss by `Σ_k ω_k a_k`,
/// `a_k = Σ_l ⟨G_l, J_k^l D^l⟩`, and `Ω_j = (∂R/∂v_j) Rᵀ` (`Rotation.aligningDerivative`).
public enum EdgeFrames {
    /// `[E, WignerD.blockSize(lmax:)]`: the blocks `D^0(R_e) … D^lmax(R_e)` of every edge, row-major
    /// each. Values from `exact` (or the variable), computed in Double.
    public static func rotations<T>(_ vectors: Variable<T>, exact: [SIMD3<Double>]? = nil, lmax: Int) -> Variable<T> {
        let E = vectors.shape.first ?? 0
        require(vectors.shape == [E, 3], "EdgeFrames.rotations: vectors shape \(vectors.shape), expected [E, 3]")
        require(lmax >= 0 && lmax <= WignerD.maxL, "EdgeFrames.rotations: lmax \(lmax)")
        let v: [SIMD3<Double>] = exact ?? (0..<E).map { e in
            let s = vectors.value.scalars
            return SIMD3(Double(s[3 * e]), Double(s[3 * e + 1]), Double(s[3 * e + 2]))
        }
        require(v.count == E, "EdgeFrames.rotations: \(v.count) exact vectors for \(E) edges")
        let bs = WignerD.blockSize(lmax: lmax)
        var blocks = [Double](repeating: 0, count: E * bs)
        v.withUnsafeBufferPointer { pv in
            blocks.withUnsafeMutableBufferPointer { WignerD.alignedToPolarAxis(directions: pv, lmax: lmax, into: $0) }
        }
        let value = Tensor<T>(shape: [E, bs], scalars: blocks.map { T($0) })
        return vectors.tape.custom(value: value, inputs: [vectors]) { g in
            let gens = (0...lmax).map { WignerD.generators(l: $0) }
            var gv = Tensor<T>(zeros: [E, 3])
            for e in 0..<E {
                // a_k = Σ_l ⟨G_l, J_k^l D^l⟩
                var a = SIMD3<Double>.zero
                for l in 0...lmax {
                    let d = 2 * l + 1, o = e * bs + WignerD.offset(l)
                    let js = [gens[l].x, gens[l].y, gens[l].z]
                    for k in 0..<3 {
                        var s = 0.0
                        for i in 0..<d { for j in 0..<d {
                            var jd = 0.0
                            for q in 0..<d { jd += js[k][i * d + q] * blocks[o + q * d + j] }
                            s += Double(g.scalars[o + i * d + j]) * jd
                        } }
                        a[k] += s
                    }
                }
                let r = Rotation.aligning(v[e])
                if v[e].x == 0 && v[e].y == 0 && v[e].z != 0 {
                    // On the polar axis the roll is undefined: take the rotations that tilt v̂
                    // (Ω ẑ = −R δv̂, so ω_x = (R δv̂)_y, ω_y = −(R δv̂)_x) and no roll (ω_z = 0).
                    let n = abs(v[e].z), u = v[e] / n
                    for j in 0..<3 {
                        var unit = SIMD3<Double>.zero
                        unit[j] = 1
                        let t = r * ((unit - u * u[j]) / n)
                        gv.scalars[3 * e + j] = T(a.x * t.y - a.y * t.x)
                    }
                    continue
                }
                let dr = Rotation.aligningDerivative(v[e])
                for (j, drj) in [dr.x, dr.y, dr.z].enumerated() {
                    let omega = drj * r.transposed                           // Ω_j = (∂R/∂v_j) Rᵀ
                    gv.scalars[3 * e + j] = T(a.x * omega[2, 1] + a.y * omega[0, 2] + a.z * omega[1, 0])
                }
            }
            return [gv]
        }
    }

    /// `[E, layout.count, C]`: `x̃[e, (l, m), c] = Σ_j D^l(R_e)[m, j] x[rows[e], l² + l + j, c]` for
    /// `|m| ≤ mmax`. Backward: `∂x[rows[e]] += D_redᵀ ∂x̃`, `∂D^l[m, j] += Σ_c ∂x̃[(l, m), c] x[(l, j), c]`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func rotate<T>(_ x: Variable<T>, rotations: Variable<T>, rows: [Int32], layout: EdgeFrameLayout) -> Variable<T> {
        let N = x.shape[0], M = (layout.lmax + 1) * (layout.lmax + 1), C = x.shape.last ?? 0
        let E = rows.count, bs = WignerD.blockSize(lmax: layout.lmax), R = layout.count
        require(x.rank == 3 && x.shape[1] == M, "EdgeFrames.rotate: input shape \(x.shape), expected [N, \(M), C]")
        require(rotations.shape == [E, bs], "EdgeFrames.rotate: rotations shape \(rotations.shape), expected [\(E), \(bs)]")
        require(rows.allSatisfy { $0 >= 0 && Int($0) < N }, "EdgeFrames.rotate: node index out of range 0..<\(N)")
        let xv = x.value, dv = rotations.value, layoutCopy = layout
        let side = EdgeSide(edgeStride: R * C, rowStride: C)
        var out = Tensor<T>(zeros: [E, R, C])
        xv.scalars.withUnsafeBufferPointer { px in dv.scalars.withUnsafeBufferPointer { pd in
        rows.withUnsafeBufferPointer { pr in out.scalars.withUnsafeMutableBufferPointer { po in
            gather(px.baseAddress!, pd.baseAddress!, rows: pr.baseAddress!, edges: 0..<E, layout: layoutCopy, channels: C,
                   scale: 1, into: po.baseAddress!, side: side)
        } } } }
        let needX = x.requiresGrad, needD = rotations.requiresGrad
        return x.tape.custom(value: out, inputs: [x, rotations]) { g in
            var gx = needX ? Tensor<T>(zeros: [N, M, C]) : nil
            var gd = needD ? Tensor<T>(zeros: [E, bs]) : nil
            g.scalars.withUnsafeBufferPointer { pg in xv.scalars.withUnsafeBufferPointer { px in
            dv.scalars.withUnsafeBufferPointer { pd in rows.withUnsafeBufferPointer { pr in
                if gx != nil {
                    gx!.scalars.withUnsafeMutableBufferPointer {
                        scatter(pg.baseAddress!, side: side, pd.baseAddress!, rows: pr.baseAddress!, edges: 0..<E,
                                layout: layoutCopy, channels: C, scale: 1, into: $0.baseAddress!)
                    }
                }
                if gd != nil {
                    gd!.scalars.withUnsafeMutableBufferPointer {
                        rotationGradient(pg.baseAddress!, side: side, px.baseAddress!, rows: pr.baseAddress!, edges: 0..<E,
                                         layout: layoutCopy, channels: C, scale: 1, into: $0.baseAddress!)
                    }
                }
            } } } }
            return [gx, gd]
        }
    }

    /// `[nodeCount, (L+1)², C]`: `y[dst(e), l² + l + j, c] += scale · Σ_{|m| ≤ mmax} D^l(R_e)[m, j] z[e, (l, m), c]`
    /// (back to the global frame and summed at the destination). Backward:
    /// `∂z[e, (l, m)] = scale · Σ_j D[m, j] ∂y[dst(e), (l, j)]`, `∂D[m, j] += scale · Σ_c z[(l, m), c] ∂y[(l, j), c]`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func rotateBack<T>(_ z: Variable<T>, rotations: Variable<T>, destinations: [Int32], nodeCount: Int,
                                     layout: EdgeFrameLayout, scale: T) -> Variable<T> {
        let E = destinations.count, R = layout.count, C = z.shape.last ?? 0
        let M = (layout.lmax + 1) * (layout.lmax + 1), bs = WignerD.blockSize(lmax: layout.lmax)
        require(z.shape == [E, R, C], "EdgeFrames.rotateBack: input shape \(z.shape), expected [\(E), \(R), C]")
        require(rotations.shape == [E, bs], "EdgeFrames.rotateBack: rotations shape \(rotations.shape), expected [\(E), \(bs)]")
        require(destinations.allSatisfy { $0 >= 0 && Int($0) < nodeCount }, "EdgeFrames.rotateBack: destination out of range")
        let zv = z.value, dv = rotations.value, layoutCopy = layout
        let side = EdgeSide(edgeStride: R * C, rowStride: C)
        var out = Tensor<T>(zeros: [nodeCount, M, C])
        zv.scalars.withUnsafeBufferPointer { pz in dv.scalars.withUnsafeBufferPointer { pd in
        destinations.withUnsafeBufferPointer { pr in out.scalars.withUnsafeMutableBufferPointer { po in
            scatter(pz.baseAddress!, side: side, pd.baseAddress!, rows: pr.baseAddress!, edges: 0..<E, layout: layoutCopy,
                    channels: C, scale: scale, into: po.baseAddress!)
        } } } }
        let needZ = z.requiresGrad, needD = rotations.requiresGrad
        return z.tape.custom(value: out, inputs: [z, rotations]) { g in
            var gz = needZ ? Tensor<T>(zeros: [E, R, C]) : nil
            var gd = needD ? Tensor<T>(zeros: [E, bs]) : nil
            g.scalars.withUnsafeBufferPointer { pg in zv.scalars.withUnsafeBufferPointer { pz in
            dv.scalars.withUnsafeBufferPointer { pd in destinations.withUnsafeBufferPointer { pr in
                if gz != nil {
                    gz!.scalars.withUnsafeMutableBufferPointer {
                        gather(pg.baseAddress!, pd.baseAddress!, rows: pr.baseAddress!, edges: 0..<E, layout: layoutCopy,
                               channels: C, scale: scale, into: $0.baseAddress!, side: side)
                    }
                }
                if gd != nil {
                    gd!.scalars.withUnsafeMutableBufferPointer {
                        rotationGradient(pz.baseAddress!, side: side, pg.baseAddress!, rows: pr.baseAddress!, edges: 0..<E,
                                         layout: layoutCopy, channels: C, scale: scale, into: $0.baseAddress!)
                    }
                }
            } } } }
            return [gz, gd]
        }
    }
}

/// The coefficients `(l, m)`, `|m| ≤ mmax`, of features in an edge frame, m-major (see `EdgeFrames`).
public struct EdgeFrameLayout: Equatable, Sendable {
    public let lmax: Int
    public let mmax: Int
    /// `l` and `m` of every row.
    public let degree: [Int32]
    public let order: [Int32]

    public init(lmax: Int, mmax: Int) {
        require(lmax >= 0 && mmax >= 0 && mmax <= lmax, "EdgeFrameLayout: lmax \(lmax), mmax \(mmax)")
        self.lmax = lmax
        self.mmax = mmax
        var l: [Int32] = [], m: [Int32] = []
        for deg in 0...lmax { l.append(Int32(deg)); m.append(0) }
        if mmax > 0 {
            for mm in 1...mmax {
                for sign in [1, -1] { for deg in mm...lmax { l.append(Int32(deg)); m.append(Int32(sign * mm)) } }
            }
        }
        degree = l
        order = m
    }

    /// Number of rows.
    public var count: Int { degree.count }

    /// The rows of order `m` (`m = 0`: `l = 0…L`; `m ≠ 0`: `l = |m|…L`).
    public func rows(m: Int) -> Range<Int> {
        if m == 0 { return 0..<(lmax + 1) }
        var start = lmax + 1
        for mm in 1..<abs(m) { start += 2 * (lmax - mm + 1) }
        let n = lmax - abs(m) + 1
        return m > 0 ? start..<(start + n) : (start + n)..<(start + 2 * n)
    }
}
