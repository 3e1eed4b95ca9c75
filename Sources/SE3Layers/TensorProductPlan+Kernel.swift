extension TensorProductPlan {
    /// Flattened tables the tensor-product kernels iterate over (derived from `paths`).
    ///
    /// The CG entries of each path are grouped by output component `mo` ("groups") and, inside
    /// a group, by input component `m1` ("pairs"); a pair's "terms" are its `(mf, α_p·C)`.
    /// Per edge the kernel first folds the filter into one coefficient per pair,
    ///
    ///     K[q] = Σ_{t ∈ terms(q)} α_p C_t Y[e, mf_t],
    ///
    /// then for every group `g = (p, mo)` accumulates over the input channels `u` (innermost,
    /// contiguous)
    ///
    ///     a[u] = Σ_{q ∈ pairs(g)} K[q] · x[m1_q, u],
    ///     uvu:  out[mo, u] += w[p, u] · a[u],     uvw:  out[mo, w] += Σ_u a[u] · w[p, u, w].
    ///
    /// So the channel loops cost one multiply-add per pair instead of three flops per CG entry.
    /// Offsets are element offsets into a row (`x`: `irrepsIn.dim` values, filter, output, weights).
    public struct KernelTables: Equatable, Sendable {
        /// Path index `p` of group `g`.
        public let groupPath: [Int32]
        /// Offset of `(mo, channel 0)` of group `g` in an output row.
        public let groupOutput: [Int32]
        /// Pairs of group `g` are `groupPairStart[g] ..< groupPairStart[g + 1]`.
        public let groupPairStart: [Int32]
        /// Offset of `(m1, channel 0)` of pair `q` in an input row.
        public let pairInput: [Int32]
        /// Terms of pair `q` are `pairTermStart[q] ..< pairTermStart[q + 1]`.
        public let pairTermStart: [Int32]
        /// Offset of `mf` of term `t` in a filter row.
        public let termFilter: [Int32]
        /// `α_p · C` of term `t`.
        public let termCoefficient: [Double]
        /// Per path: whether it mixes channels (`uvw`), its input and output channel counts and the
        /// offset of its weights in a weight row.
        public let pathMixes: [Bool]
        public let pathInputChannels: [Int32]
        public let pathOutputChannels: [Int32]
        public let pathWeightOffset: [Int32]

        /// Number of groups, pairs, terms.
        public var groupCount: Int { groupPath.count }
        public var pairCount: Int { pairInput.count }
        public var termCount: Int { termFilter.count }
        /// Largest input channel count of any path (scratch size of the kernels).
        public var maxInputChannels: Int { Int(pathInputChannels.max() ?? 0) }

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
                            tf.append(Int32(path.filterOffset + e.filter))
                            tc.append(path.alpha * e.coefficient)
                        }
                        pi.append(Int32(path.inputOffset + m1 * path.inputChannels))
                        ps.append(Int32(tf.count))
                    }
                    gp.append(Int32(p))
                    go.append(Int32(path.outputOffset + mo * path.outputChannels))
                    gs.append(Int32(pi.count))
                }
            }
            groupPath = gp; groupOutput = go; groupPairStart = gs
            pairInput = pi; pairTermStart = ps
            termFilter = tf; termCoefficient = tc
            pathMixes = paths.map { $0.mode == .uvw }
            pathInputChannels = paths.map { Int32($0.inputChannels) }
            pathOutputChannels = paths.map { Int32($0.outputChannels) }
            pathWeightOffset = paths.map { Int32($0.weightOffset) }
        }
    }
}
