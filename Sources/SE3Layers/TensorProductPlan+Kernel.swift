extension TensorProductPlan {
    /// Flattened tables the tensor-product kernels iterate over (derived from `paths`).
    ///
    /// The CG entries of each path are grouped by output component `mo` ("groups") and, inside
    /// a group, by input component `m1` ("pairs"); a pair's "terms" are its `(mf, α_p·C)`.
    /// Per edge the kernel first folds the filter into one coefficient per pair,
    ///
    ///     K[q] = Σ_{t ∈ terms(q)} α_p C_t Y[e, mf_t],
    ///
    /// then for every group `g = (p, mo)` and channel `c` (innermost, contiguous)
    ///
    ///     out[mo, c] += w[p, c] · Σ_{q ∈ pairs(g)} K[q] · x[m1_q, c].
    ///
    /// So the channel loops cost one multiply-add per pair instead of three flops per CG entry.
    public struct KernelTables: Equatable, Sendable {
        /// Path index `p` of group `g`.
        public let groupPath: [Int32]
        /// Output flat index `lo² + lo + mo` of group `g`.
        public let groupOutput: [Int32]
        /// Pairs of group `g` are `groupPairStart[g] ..< groupPairStart[g + 1]`.
        public let groupPairStart: [Int32]
        /// Input flat index `l1² + l1 + m1` of pair `q`.
        public let pairInput: [Int32]
        /// Terms of pair `q` are `pairTermStart[q] ..< pairTermStart[q + 1]`.
        public let pairTermStart: [Int32]
        /// Filter flat index `lf² + lf + mf` of term `t`.
        public let termFilter: [Int32]
        /// `α_p · C` of term `t`.
        public let termCoefficient: [Double]

        /// Number of groups, pairs, terms.
        public var groupCount: Int { groupPath.count }
        public var pairCount: Int { pairInput.count }
        public var termCount: Int { termFilter.count }

        init(paths: [TensorProductPlan.Path]) {
            var gp: [Int32] = [], go: [Int32] = [], gs: [Int32] = [0]
            var pi: [Int32] = [], ps: [Int32] = [0]
            var tf: [Int32] = [], tc: [Double] = []
            for (p, path) in paths.enumerated() {
                let outputs = Set(path.entries.map(\.output)).sorted()
                for mo in outputs {
                    let inGroup = path.entries.filter { $0.output == mo }
                    let inputs = Set(inGroup.map(\.input)).sorted()
                    for m1 in inputs {
                        for e in inGroup where e.input == m1 {
                            tf.append(Int32(e.filter))
                            tc.append(path.alpha * e.coefficient)
                        }
                        pi.append(Int32(m1))
                        ps.append(Int32(tf.count))
                    }
                    gp.append(Int32(p))
                    go.append(Int32(mo))
                    gs.append(Int32(pi.count))
                }
            }
            groupPath = gp; groupOutput = go; groupPairStart = gs
            pairInput = pi; pairTermStart = ps
            termFilter = tf; termCoefficient = tc
        }
    }
}
