import SE3Core
import SE3Math
import SE3Tensor

/// Multi-head attention of every node over its incoming edges (SE(3)-Transformer, seed eq. 11–12),
/// on features in the `Irreps` layout (channels innermost). The channels of every irreps entry are
/// split into `heads` equal groups: channel `u` of an entry of multiplicity `mul` belongs to head
/// `u / (mul / heads)`, so each head sees `mul / heads` channels of every degree, and
///
///     logits[e, h] = scale · Σ_{j ∈ head h} q[dst(e), j] · k[e, j]            (an invariant: a sum of
///                                                                           per-degree inner products)
///     out[i, j]    = Σ_{e: dst(e) = i} α[e, head(j)] · v[e, j]              (α = segmentSoftmax of logits)
///
/// Both are single tape ops with hand-written backward passes:
///
///     ∂q[dst(e), j] += scale · G[e, h(j)] k[e, j],   ∂k[e, j] = scale · G[e, h(j)] q[dst(e), j]
///     ∂α[e, h] = Σ_{j ∈ h} v[e, j] G[dst(e), j],     ∂v[e, j] = α[e, h(j)] G[dst(e), j]
public enum GraphAttention {
    /// The head of every component of a row of `irreps`; throws `LayerError` unless every
    /// multiplicity is a multiple of `heads`.
    public static func headOfComponent(_ irreps: Irreps, heads: Int) throws -> [Int32] {
        try LayerError.check(heads >= 1, "GraphAttention", "heads", heads, "must be >= 1")
        var out: [Int32] = []
        out.reserveCapacity(irreps.dim)
        for e in irreps {
            try LayerError.check(e.mul % heads == 0, "GraphAttention", "heads", heads,
                                 "must divide the multiplicity of every entry (\(e) in \(irreps))")
            let perHead = e.mul / heads
            for _ in 0..<e.irrep.dim { for u in 0..<e.mul { out.append(Int32(u / max(perHead, 1))) } }
        }
        return out
    }

    /// `[E, heads]` attention logits of queries `[N, D]` (one per node) and keys `[E, D]` (one per edge).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func logits<T>(queries: Variable<T>, keys: Variable<T>, destinations: [Int32], headOf: [Int32],
                                 heads: Int, scale: T) -> Variable<T> {
        let N = queries.shape.first ?? 0, E = keys.shape.first ?? 0, D = headOf.count
        require(queries.count == N * D && keys.count == E * D && destinations.count == E,
                "GraphAttention.logits: queries \(queries.shape), keys \(keys.shape), \(destinations.count) destinations, row of \(D)")
        require(destinations.allSatisfy { $0 >= 0 && Int($0) < N }, "GraphAttention.logits: destination out of range 0..<\(N)")
        let qv = queries.value, kv = keys.value
        var out = Tensor<T>(zeros: [E, heads])
        qv.scalars.withUnsafeBufferPointer { pq in
        kv.scalars.withUnsafeBufferPointer { pk in
        out.scalars.withUnsafeMutableBufferPointer { po in
            for e in 0..<E {
                let q = pq.baseAddress! + Int(destinations[e]) * D, k = pk.baseAddress! + e * D, o = po.baseAddress! + e * heads
                for j in 0..<D { o[Int(headOf[j])] += q[j] * k[j] }
                for h in 0..<heads { o[h] *= scale }
            }
        }}}
        let needQ = queries.requiresGrad, needK = keys.requiresGrad
        let qShape = queries.shape, kShape = keys.shape
        return queries.tape.custom(value: out, inputs: [queries, keys]) { g in
            var gq = needQ ? Tensor<T>(zeros: qShape) : nil
            var gk = needK ? Tensor<T>(zeros: kShape) : nil
            g.scalars.withUnsafeBufferPointer { pg in
            qv.scalars.withUnsafeBufferPointer { pq in
            kv.scalars.withUnsafeBufferPointer { pk in
                for e in 0..<E {
                    let d = Int(destinations[e]) * D, gr = pg.baseAddress! + e * heads
                    for j in 0..<D {
                        let s = scale * gr[Int(headOf[j])]
                        if gq != nil { gq!.scalars[d + j] += s * pk[e * D + j] }
                        if gk != nil { gk!.scalars[e * D + j] = s * pq[d + j] }
                    }
                }
            }}}
            return [gq, gk]
        }
    }

    /// `[nodeCount, D]`: the attention-weighted sum of edge values `[E, D]` with weights `[E, heads]`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func aggregate<T>(weights: Variable<T>, values: Variable<T>, destinations: [Int32], nodeCount: Int,
                                    headOf: [Int32], heads: Int) -> Variable<T> {
        let E = values.shape.first ?? 0, D = headOf.count
        require(weights.shape == [E, heads] && values.count == E * D && destinations.count == E,
                "GraphAttention.aggregate: weights \(weights.shape), values \(values.shape), \(destinations.count) destinations")
        require(destinations.allSatisfy { $0 >= 0 && Int($0) < nodeCount }, "GraphAttention.aggregate: destination out of range")
        let av = weights.value, vv = values.value
        var out = Tensor<T>(zeros: [nodeCount, D])
        av.scalars.withUnsafeBufferPointer { pa in
        vv.scalars.withUnsafeBufferPointer { pv in
        out.scalars.withUnsafeMutableBufferPointer { po in
            for e in 0..<E {
                let o = po.baseAddress! + Int(destinations[e]) * D, v = pv.baseAddress! + e * D, a = pa.baseAddress! + e * heads
                for j in 0..<D { o[j] += a[Int(headOf[j])] * v[j] }
            }
        }}}
        let needA = weights.requiresGrad, needV = values.requiresGrad
        let vShape = values.shape
        return values.tape.custom(value: out, inputs: [weights, values]) { g in
            var ga = needA ? Tensor<T>(zeros: [E, heads]) : nil
            var gv = needV ? Tensor<T>(zeros: vShape) : nil
            g.scalars.withUnsafeBufferPointer { pg in
            av.scalars.withUnsafeBufferPointer { pa in
            vv.scalars.withUnsafeBufferPointer { pv in
                for e in 0..<E {
                    let gr = pg.baseAddress! + Int(destinations[e]) * D
                    for j in 0..<D {
                        let h = Int(headOf[j])
                        if ga != nil { ga!.scalars[e * heads + h] += pv[e * D + j] * gr[j] }
                        if gv != nil { gv!.scalars[e * D + j] = pa[e * heads + h] * gr[j] }
                    }
                }
            }}}
            return [ga, gv]
        }
    }
}
