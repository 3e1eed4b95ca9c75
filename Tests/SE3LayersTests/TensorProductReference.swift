import SE3Layers
import SE3Math
import SE3Tensor

/// An independent dense evaluation of a `TensorProductPlan` for the tests: loops over every
/// `(m1, mf, mo)` of each path's dense CG block and finds the values by the layout rule of the
/// plan's documentation (entry offsets from `Irreps.offsets`, component `(m, u)` at
/// `offset + (m + l)·mul + u`), not through the kernel tables.
enum TPReference {
    /// Per-edge outputs `[E, irrepsOut.dim]` of `x[src[e]]` (`x` `[N, irrepsIn.dim]`), `y`
    /// `[E, irrepsFilter.dim]`, weights `[R, W]` (row `rows[e]` or `e`) or `[W]` (shared).
    static func edges(_ plan: TensorProductPlan, x: Tensor<Double>, src: [Int32]?, y: Tensor<Double>,
                      w: Tensor<Double>, rows: [Int32]? = nil) -> Tensor<Double> {
        let E = y.shape[0], dIn = plan.irrepsIn.dim, dF = plan.irrepsFilter.dim, dOut = plan.irrepsOut.dim
        let oIn = plan.irrepsIn.offsets, oF = plan.irrepsFilter.offsets, oOut = plan.irrepsOut.offsets
        var out = Tensor<Double>(zeros: [E, dOut])
        var weightOffset = 0
        var alphaDenominator = [Int: Double]()
        for p in plan.paths {
            alphaDenominator[p.instruction.output, default: 0] += p.mode == .uvu ? 1 : Double(plan.irrepsIn[p.instruction.input].mul)
        }
        for p in plan.paths {
            let ins = p.instruction
            let a = plan.irrepsIn[ins.input], b = plan.irrepsFilter[ins.filter], c = plan.irrepsOut[ins.output]
            let l1 = a.irrep.l, lf = b.irrep.l, lo = c.irrep.l
            let alpha = (ins.pathWeight / alphaDenominator[ins.output]!).squareRoot()
            let block = ClebschGordan.block(l1: l1, l2: lf, l3: lo)
            let count = ins.mode == .uvu ? a.mul : a.mul * c.mul
            for e in 0..<E {
                let s = src.map { Int($0[e]) } ?? e
                let wrow = plan.weightSharing == .shared ? 0 : (rows.map { Int($0[e]) } ?? e) * plan.weightsPerEdge
                for m1 in -l1...l1 { for mf in -lf...lf { for mo in -lo...lo {
                    let cg = block[m1, mf, mo]
                    if cg == 0 { continue }
                    let yv = y.scalars[e * dF + oF[ins.filter] + (mf + lf)]
                    for u in 0..<a.mul {
                        let xv = x.scalars[s * dIn + oIn[ins.input] + (m1 + l1) * a.mul + u]
                        let outs = ins.mode == .uvu ? [u] : Array(0..<c.mul)
                        for v in outs {
                            let wi = ins.mode == .uvu ? u : u * c.mul + v
                            let wv = w.scalars[wrow + weightOffset + wi]
                            out.scalars[e * dOut + oOut[ins.output] + (mo + lo) * c.mul + v] += alpha * wv * cg * xv * yv
                        }
                    }
                } } }
            }
            weightOffset += count
        }
        return out
    }

    /// `D(R)` applied to rows `[N, irreps.dim]` in the plan layout (parity of each entry for improper `R`).
    static func rotate(_ x: Tensor<Double>, irreps: Irreps, _ R: Rotation) -> Tensor<Double> {
        let N = x.shape[0], dim = irreps.dim
        var y = Tensor<Double>(zeros: [N, dim])
        let offsets = irreps.offsets
        for (i, entry) in irreps.enumerated() {
            let l = entry.irrep.l, mul = entry.mul
            let D = WignerD.matrix(l: l, R, parity: entry.irrep.p)
            for n in 0..<N { for m in 0..<(2 * l + 1) { for k in 0..<(2 * l + 1) { for u in 0..<mul {
                y.scalars[n * dim + offsets[i] + m * mul + u] += D[m * (2 * l + 1) + k] * x.scalars[n * dim + offsets[i] + k * mul + u]
            } } } }
        }
        return y
    }
}
