import SE3Core
import SE3Math
import SE3Tensor

/// eSCN's messages (seed eq. 13–16; fairchem's `MessageBlock` after the edge embedding) as one
/// tape op, for every edge `e: s → t`:
///
///     x̃_s = D(R_e) x_s,   x̃_t = D(R_e) x_t                         (EdgeFrames.rotate, |m| ≤ mmax)
///     ỹ_e = source(x̃_s, h_e) + target(x̃_t, h_e)                    (two SO2Convolution)
///     z̃_e = fromGrid · k·SiLU(toGrid · ỹ_e)                          (SphereGrid.activation)
///     m_t = scale · Σ_{e → t} D(R_e)ᵀ z̃_e                            (EdgeFrames.rotateBack)
///
/// the same map as those ops in sequence, but the op keeps only, per edge, the convolutions'
/// first-layer outputs `W₁ x̃` and `ỹ` for the backward pass (which recomputes the rotations, the
/// gates and the grid values), and works through the edges in chunks so every temporary stays
/// in cache: `[N, (L+1)², C]` node features in, `[N, (L+1)², C]` messages out.
public struct EdgeFrameMessages: Sendable {
    public let source: SO2Convolution
    public let target: SO2Convolution
    public let grid: SphereGrid
    /// Edges per chunk (32: a chunk's grid values, 32 × points × C, stay in L2; 128 is 8–10% slower).
    public let chunk: Int

    /// Both convolutions must share the layout, map `C → C` channels with the same hidden and
    /// edge widths, and the grid must hold the layout's coefficients in its row order.
    public init(source: SO2Convolution, target: SO2Convolution, grid: SphereGrid, chunk: Int = 32) {
        require(source.layout == target.layout, "EdgeFrameMessages: the convolutions' layouts differ")
        require(source.channelsIn == source.channelsOut && target.channelsIn == source.channelsIn
                && target.channelsOut == source.channelsIn, "EdgeFrameMessages: the convolutions must map C → C channels")
        require(source.hidden == target.hidden && source.edgeChannels == target.edgeChannels,
                "EdgeFrameMessages: the convolutions' hidden and edge widths differ")
        require(grid.coefficients.count == source.layout.count
                && zip(grid.coefficients, SphereGrid.edgeCoefficients(source.layout)).allSatisfy { $0.l == $1.l && $0.m == $1.m },
                "EdgeFrameMessages: the grid's coefficients are not the layout's")
        self.source = source
        self.target = target
        self.grid = grid
        self.chunk = max(1, chunk)
    }

    public var layout: EdgeFrameLayout { source.layout }

    /// `x` `[N, (L+1)², C]`, `rotations` `[E, WignerD.blockSize(lmax:)]`, `edge` `[E, C_edge]`; the
    /// messages `[N, (L+1)², C]`. With `scalarInput` (eSCN's first layer, whose input is the
    /// element embedding on `l = 0`) `x` must be zero for `l > 0`: the frames then hold only
    /// `m = 0, l = 0`, the `m > 0` convolutions vanish and are skipped, and `x`'s gradient is
    /// returned for `l = 0` only.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func callAsFunction<T>(_ x: Variable<T>, rotations: Variable<T>, edge h: Variable<T>, sources: [Int32],
                                  destinations: [Int32], scale: T, scalarInput: Bool = false) -> Variable<T> {
        let plan = Plan(self, nodes: x.shape.first ?? 0, edges: sources.count, scalarInput: scalarInput)
        let N = plan.N, E = plan.E, M = plan.M, C = plan.C
        require(x.shape == [N, M, C], "EdgeFrameMessages: input shape \(x.shape), expected [N, \(M), \(C)]")
        require(rotations.shape == [E, plan.bs], "EdgeFrameMessages: rotations shape \(rotations.shape), expected [\(E), \(plan.bs)]")
        require(h.shape == [E, plan.Ce], "EdgeFrameMessages: edge embedding shape \(h.shape), expected [\(E), \(plan.Ce)]")
        require(destinations.count == E, "EdgeFrameMessages: \(destinations.count) destinations for \(E) edges")
        require(sources.allSatisfy { $0 >= 0 && Int($0) < N } && destinations.allSatisfy { $0 >= 0 && Int($0) < N },
                "EdgeFrameMessages: node index out of range 0..<\(N)")
        if scalarInput {
            let M = plan.M, C = plan.C, xs = x.value.scalars
            require((0..<N).allSatisfy { a in (C..<(M * C)).allSatisfy { xs[a * M * C + $0] == 0 } },
                    "EdgeFrameMessages: scalarInput with non-zero l > 0 features")
        }
        let tape = x.tape
        let params = (source.parameters + target.parameters).map { tape.parameter($0) }
        let weights = Weights<T>(plan: plan, values: params.map(\.value.scalars), shapes: params.map(\.shape), grid: grid)
        let stored = Stored<T>(plan: plan)
        var out = Tensor<T>(zeros: [N, M, C])
        let xv = x.value, dv = rotations.value, hv = h.value
        xv.scalars.withUnsafeBufferPointer { px in dv.scalars.withUnsafeBufferPointer { pd in
        hv.scalars.withUnsafeBufferPointer { ph in out.scalars.withUnsafeMutableBufferPointer { po in
        sources.withUnsafeBufferPointer { ps in destinations.withUnsafeBufferPointer { pt in
            let work = Workspace<T>(plan: plan)
            var e0 = 0
            while e0 < E {
                let edges = e0..<min(E, e0 + plan.chunk)
                forward(plan, weights, edges: edges, x: px.baseAddress!, d: pd.baseAddress!, h: ph.baseAddress!,
                        sources: ps.baseAddress!, destinations: pt.baseAddress!, scale: scale, stored: stored,
                        work: work, out: po.baseAddress!)
                e0 = edges.upperBound
            }
        } } } } } }
        let needX = x.requiresGrad, needD = rotations.requiresGrad, needH = h.requiresGrad
        return tape.custom(value: out, inputs: [x, rotations, h] + params) { g in
            self.backward(plan, weights, stored: stored, gradient: g, x: xv, d: dv, h: hv, sources: sources,
                          destinations: destinations, scale: scale, needX: needX, needD: needD, needH: needH)
        }
    }
}
