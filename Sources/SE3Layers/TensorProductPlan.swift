import SE3Math

/// The static description of a channel-wise Clebsch–Gordan tensor product (seed eq. 2, 6, 7),
/// a pure value: kernels only read it, and it can be built and tested without any data.
///
/// Inputs `x` have degrees `l1 = 0...lmaxIn`, the filter (edge spherical harmonics `Y`) degrees
/// `lf = 0...lmaxFilter`, the output degrees `lo = 0...lmaxOut`, all with `channels` channels
/// (`x`, output) in the `SphericalFeatures` layout (flat index `l² + l + m`).
///
/// **Paths.** Every triple `(l1, lf, lo)` with `|l1 − lf| ≤ lo ≤ l1 + lf` (triangle rule) and
/// `(−1)^(l1 + lf) = (−1)^lo` (parity: with natural-parity inputs and filter the output keeps
/// natural parity, i.e. `l1 + lf + lo` even) is one path, listed in lexicographic
/// `(l1, lf, lo)` order; the weight index `p` of a path is its position in `paths`.
///
/// **Product** (per edge `e`, channel `c`):
///
///     out[e, lo mo, c] = Σ_{p: lo_p = lo} α_p · w[e, p, c] · Σ_{(m1, mf, mo) ∈ CG_p} C · x[e, l1 m1, c] · Y[e, lf mf]
///
/// with `C = C^{(lo,mo)}_{(l1,m1)(lf,mf)}` from `ClebschGordan.block(l1:l2:l3:)` (only its
/// `nonZero` entries are stored, as flat `SphericalFeatures` indices) and weights `w[e, p, c]`
/// (`.perEdge`, shape `[E, P, C]`) or `w[p, c]` (`.shared`, shape `[P, C]`).
///
/// **Normalisation** `α_p = 1 / √(n_lo)`, `n_lo` = number of paths into the output degree `lo`.
/// Why: the CG columns are orthonormal (`Σ_{m1, mf} C^{mo}_{m1 mf} C^{mo'}_{m1 mf} = δ_{mo mo'}`).
/// For component-normalised inputs (`E[x_m1²] = 1`, independent components) and filter
/// (`E_r̂[Y_mf Y_mf'] = δ_{mf mf'}`, which is `Σ_m Y_lm² = 2l + 1` averaged over directions), one
/// path gives `E[(Σ C x Y)²] = Σ_{m1, mf} C² = 1`, i.e. unit variance per output component. With
/// unit-variance weights the `n_lo` independent paths into `lo` add variances, so `1/√n_lo`
/// keeps every output degree at unit variance (e3nn's "path" normalisation, up to its
/// `2lo+1` CG scaling, which our orthonormal CG already absorb).
public struct TensorProductPlan: Equatable, Sendable {
    /// How the path weights are shared.
    public enum WeightSharing: String, Equatable, Sendable, Codable {
        /// One weight per edge, path and channel: `w` has shape `[E, P, C]` (TFN radial
        /// weights, seed eq. 5).
        case perEdge
        /// One weight per path and channel for all edges: `w` has shape `[P, C]`.
        case shared
    }

    /// One non-zero CG coefficient with flat indices into `x` (`l1² + l1 + m1`), `Y`
    /// (`lf² + lf + mf`) and the output (`lo² + lo + mo`).
    public struct Entry: Equatable, Sendable {
        public let input: Int
        public let filter: Int
        public let output: Int
        public let coefficient: Double
        public init(input: Int, filter: Int, output: Int, coefficient: Double) {
            self.input = input; self.filter = filter; self.output = output; self.coefficient = coefficient
        }
    }

    /// One path `l1 ⊗ lf → lo` with its normalisation `alpha` and its non-zero CG entries.
    public struct Path: Equatable, Sendable {
        public let l1: Int
        public let lf: Int
        public let lo: Int
        /// `1/√(number of paths into lo)`.
        public let alpha: Double
        /// Non-zero CG entries in `(m1, mf, mo)` lexicographic order.
        public let entries: [Entry]
    }

    public let lmaxIn: Int
    public let lmaxFilter: Int
    public let lmaxOut: Int
    public let channels: Int
    public let weightSharing: WeightSharing
    /// All paths in `(l1, lf, lo)` order; the weight index of `paths[p]` is `p`.
    public let paths: [Path]
    /// Kernel tables (derived from `paths`, see `TensorProductPlan+Kernel`).
    public let kernel: KernelTables

    /// Builds the plan. Throws `LayerError` for negative degrees or `channels < 1`.
    public init(lmaxIn: Int, lmaxFilter: Int, lmaxOut: Int, channels: Int,
                weightSharing: WeightSharing = .perEdge) throws {
        let name = "TensorProductPlan"
        try LayerError.check(lmaxIn >= 0, name, "lmaxIn", lmaxIn, "must be >= 0")
        try LayerError.check(lmaxFilter >= 0, name, "lmaxFilter", lmaxFilter, "must be >= 0")
        try LayerError.check(lmaxOut >= 0, name, "lmaxOut", lmaxOut, "must be >= 0")
        try LayerError.check(channels >= 1, name, "channels", channels, "must be >= 1")
        try LayerError.check(max(lmaxIn, lmaxFilter, lmaxOut) <= 12, name, "lmax", max(lmaxIn, lmaxFilter, lmaxOut),
                             "degrees above 12 are not supported")
        self.lmaxIn = lmaxIn
        self.lmaxFilter = lmaxFilter
        self.lmaxOut = lmaxOut
        self.channels = channels
        self.weightSharing = weightSharing

        var triples: [(Int, Int, Int)] = []
        for l1 in 0...lmaxIn {
            for lf in 0...lmaxFilter {
                for lo in 0...lmaxOut where TensorProductPlan.isAllowed(l1: l1, lf: lf, lo: lo) {
                    triples.append((l1, lf, lo))
                }
            }
        }
        var perOutput = [Int](repeating: 0, count: lmaxOut + 1)
        for t in triples { perOutput[t.2] += 1 }
        var paths: [Path] = []
        for (l1, lf, lo) in triples {
            let block = ClebschGordan.block(l1: l1, l2: lf, l3: lo)
            let entries = block.nonZero.map { e in
                Entry(input: l1 * l1 + e.i1, filter: lf * lf + e.i2, output: lo * lo + e.i3, coefficient: e.value)
            }
            paths.append(Path(l1: l1, lf: lf, lo: lo, alpha: 1 / Double(perOutput[lo]).squareRoot(), entries: entries))
        }
        self.paths = paths
        self.kernel = KernelTables(paths: paths)
    }

    /// Triangle rule `|l1 − lf| ≤ lo ≤ l1 + lf` and parity `l1 + lf + lo` even.
    public static func isAllowed(l1: Int, lf: Int, lo: Int) -> Bool {
        lo >= abs(l1 - lf) && lo <= l1 + lf && (l1 + lf + lo) % 2 == 0
    }

    /// Number of paths `P`.
    public var pathCount: Int { paths.count }
    /// `(lmaxIn + 1)²`.
    public var inputComponents: Int { (lmaxIn + 1) * (lmaxIn + 1) }
    /// `(lmaxFilter + 1)²`.
    public var filterComponents: Int { (lmaxFilter + 1) * (lmaxFilter + 1) }
    /// `(lmaxOut + 1)²`.
    public var outputComponents: Int { (lmaxOut + 1) * (lmaxOut + 1) }
    /// Total number of non-zero CG entries over all paths.
    public var nonZeroCount: Int { paths.reduce(0) { $0 + $1.entries.count } }
    /// Number of entries of the dense CG blocks of all paths, `Σ_p (2l1+1)(2lf+1)(2lo+1)`.
    public var denseCount: Int { paths.reduce(0) { $0 + (2 * $1.l1 + 1) * (2 * $1.lf + 1) * (2 * $1.lo + 1) } }
    /// Number of weights per edge (`.perEdge`) or in total (`.shared`): `P · C`.
    public var weightsPerEdge: Int { paths.count * channels }
    /// Output degrees that receive no path (their output components stay zero).
    public var unreachedOutputDegrees: [Int] {
        (0...lmaxOut).filter { lo in !paths.contains { $0.lo == lo } }
    }

    /// Nominal forward FLOPs of one edge: 3 per non-zero CG entry and channel (`C·Y`, `·x`,
    /// accumulate; the weight multiply is folded into the count). Backward is counted as 2×.
    public var nominalForwardFlopsPerEdge: Int { 3 * nonZeroCount * channels }
}
