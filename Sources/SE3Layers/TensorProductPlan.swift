import SE3Core
import SE3Math

/// The static description of a Clebsch–Gordan tensor product (seed eq. 2, 6, 7, 9–10), a pure
/// value built from `(irrepsIn, irrepsFilter, irrepsOut, instructions)` as in e3nn's
/// `o3.TensorProduct`: kernels only read it, and it can be built and tested without any data.
///
/// **Layout** of a row of the input `x` (`irrepsIn.dim` values), the filter `Y`
/// (`irrepsFilter.dim`) and the output (`irrepsOut.dim`): entries one after another, and inside
/// entry `i` (`mul × l`) component `m` of channel `u` at `offset_i + (m + l) · mul + u`, i.e.
/// **channels innermost** (e3nn-jax's `ir_mul` layout, not e3nn's `mul_ir`). For uniform irreps
/// `C×0e + C×1o + C×2e + …` this is the `SphericalFeatures` layout `[N, (lmax+1)², C]`.
///
/// **Paths.** Each instruction `(i, j, k, mode)` couples input entry `i` (`mul_i × l1`) with
/// filter entry `j` (`1 × lf`; filters have multiplicity 1) into output entry `k` (`mul_k × lo`);
/// it needs `|l1 − lf| ≤ lo ≤ l1 + lf` and `p_i · p_j = p_k`. Per edge `e`:
///
///     uvu (channel-wise, mul_k = mul_i):  out[lo mo, u] += α_p w[p, u]    Σ C^{lo mo}_{l1 m1, lf mf} x[l1 m1, u] Y[lf mf]
///     uvw (channel-mixing):               out[lo mo, w] += α_p Σ_u w[p, u, w] Σ C^{lo mo}_{l1 m1, lf mf} x[l1 m1, u] Y[lf mf]
///
/// with `C` the se3 real CG block (`ClebschGordan.block`, orthonormal columns; only its non-zero
/// entries are stored) and weights per edge (`.perEdge`, one row of `weightsPerEdge` values per
/// edge, or per weight row when edges share rows) or one row for all edges (`.shared`). Path
/// `p`'s weights are `weightCount` values at `weightOffset` in a row, in instruction order:
/// `uvu` `[mul_i]`, `uvw` `[mul_i, mul_k]` row-major (e3nn's flattening for `mul_j = 1`).
///
/// **Normalisation** (e3nn's defaults, `irrep_normalization = "component"`,
/// `path_normalization = "element"`):
///
///     α_p = √(pathWeight_p / Σ_{q: k_q = k_p} n_q),    n_q = 1 (uvu), mul_{i_q} (uvw),
///
/// so that component-normalised unit-variance inputs and filters with unit-variance weights give
/// unit-variance outputs: one path gives `E[(Σ C x Y)²] = Σ_{m1, mf} C² = 1` by orthonormality,
/// a `uvw` path sums `mul_i` such terms, and the paths into one output entry add up. Since our CG
/// is `√(2lo+1)` times e3nn's `wigner_3j` (up to the basis change in docs/conventions.md), a path
/// here equals e3nn's path of the same instruction and weights.
public struct TensorProductPlan: Equatable, Sendable {
    /// How the path weights are shared.
    public enum WeightSharing: String, Equatable, Sendable, Codable {
        /// One row of weights per edge (or per weight row, e.g. per atom pair), shape
        /// `[rows, weightsPerEdge]` (TFN radial weights, seed eq. 5).
        case perEdge
        /// One row of weights for all edges, shape `[weightsPerEdge]`.
        case shared
    }

    /// How the channels of a path are connected (e3nn's `connection_mode`).
    public enum Mode: String, Equatable, Sendable, Codable {
        /// Channel-wise: output channel `u` from input channel `u` (`mul_out = mul_in`).
        case uvu
        /// Channel-mixing: output channel `w` from every input channel `u`.
        case uvw
    }

    /// One path request: entry indices into `irrepsIn`, `irrepsFilter` and `irrepsOut`.
    public struct Instruction: Equatable, Sendable {
        public var input: Int
        public var filter: Int
        public var output: Int
        public var mode: Mode
        /// e3nn's `path_weight` (multiplies the path's variance share; default 1).
        public var pathWeight: Double

        public init(input: Int, filter: Int, output: Int, mode: Mode, pathWeight: Double = 1) {
            self.input = input; self.filter = filter; self.output = output; self.mode = mode
            self.pathWeight = pathWeight
        }
    }

    /// One non-zero CG coefficient: component indices `m + l` inside the input, filter and output
    /// entries of its path.
    public struct Entry: Equatable, Sendable {
        public let input: Int
        public let filter: Int
        public let output: Int
        public let coefficient: Double
        public init(input: Int, filter: Int, output: Int, coefficient: Double) {
            self.input = input; self.filter = filter; self.output = output; self.coefficient = coefficient
        }
    }

    /// One path `l1 ⊗ lf → lo` of an instruction, with where it reads and writes.
    public struct Path: Equatable, Sendable {
        public let instruction: Instruction
        public let l1: Int
        public let lf: Int
        public let lo: Int
        public var mode: Mode { instruction.mode }
        /// `mul` of the input and output entries.
        public let inputChannels: Int
        public let outputChannels: Int
        /// Start of the input, filter and output entries in a row.
        public let inputOffset: Int
        public let filterOffset: Int
        public let outputOffset: Int
        /// The path's weights in a weight row: `weightOffset ..< weightOffset + weightCount`.
        public let weightOffset: Int
        public let weightCount: Int
        /// `α_p` (see the type's documentation).
        public let alpha: Double
        /// Non-zero CG entries in `(m1, mf, mo)` lexicographic order.
        public let entries: [Entry]
    }

    public let irrepsIn: Irreps
    public let irrepsFilter: Irreps
    public let irrepsOut: Irreps
    public let weightSharing: WeightSharing
    /// One path per instruction, in instruction order.
    public let paths: [Path]
    /// Kernel tables (derived from `paths`, see `TensorProductPlan+Kernel`).
    public let kernel: KernelTables
    /// Values per weight row, `Σ_p weightCount`.
    public let weightsPerEdge: Int

    /// Builds the plan. Throws `LayerError` for an instruction that refers to a missing entry,
    /// breaks the triangle or parity rule, couples a filter entry of multiplicity ≠ 1, or asks
    /// for `uvu` between entries of different multiplicities; and for degrees above 12.
    public init(irrepsIn: Irreps, irrepsFilter: Irreps, irrepsOut: Irreps, instructions: [Instruction],
                weightSharing: WeightSharing = .perEdge) throws {
        let name = "TensorProductPlan"
        try LayerError.check(max(irrepsIn.lmax, irrepsFilter.lmax, irrepsOut.lmax) <= 12, name, "lmax",
                             max(irrepsIn.lmax, irrepsFilter.lmax, irrepsOut.lmax), "degrees above 12 are not supported")
        let inOffsets = irrepsIn.offsets, fOffsets = irrepsFilter.offsets, outOffsets = irrepsOut.offsets
        var elements = [Int: Double]()   // Σ n_q per output entry
        for (n, ins) in instructions.enumerated() {
            let field = "instructions[\(n)]"
            try LayerError.check(irrepsIn.indices.contains(ins.input), name, field, ins.input,
                                 "input entry outside 0..<\(irrepsIn.count) of \(irrepsIn)")
            try LayerError.check(irrepsFilter.indices.contains(ins.filter), name, field, ins.filter,
                                 "filter entry outside 0..<\(irrepsFilter.count) of \(irrepsFilter)")
            try LayerError.check(irrepsOut.indices.contains(ins.output), name, field, ins.output,
                                 "output entry outside 0..<\(irrepsOut.count) of \(irrepsOut)")
            let a = irrepsIn[ins.input], b = irrepsFilter[ins.filter], c = irrepsOut[ins.output]
            try LayerError.check(Irrep.isAllowed(a.irrep, b.irrep, c.irrep), name, field, "\(a.irrep) ⊗ \(b.irrep) → \(c.irrep)",
                                 "breaks the triangle or parity rule")
            try LayerError.check(b.mul == 1, name, field, "\(b)", "filter entries must have multiplicity 1")
            try LayerError.check(ins.mode != .uvu || a.mul == c.mul, name, field, "\(a) → \(c)",
                                 "uvu needs equal input and output multiplicities")
            try LayerError.check(ins.pathWeight > 0 && ins.pathWeight.isFinite, name, field, ins.pathWeight,
                                 "path weight must be a positive number")
            elements[ins.output, default: 0] += ins.mode == .uvu ? 1 : Double(a.mul)
        }
        var paths: [Path] = []
        var weightOffset = 0
        for ins in instructions {
            let a = irrepsIn[ins.input], b = irrepsFilter[ins.filter], c = irrepsOut[ins.output]
            let (l1, lf, lo) = (a.irrep.l, b.irrep.l, c.irrep.l)
            let block = ClebschGordan.block(l1: l1, l2: lf, l3: lo)
            let entries = block.nonZero.map { Entry(input: $0.i1, filter: $0.i2, output: $0.i3, coefficient: $0.value) }
            let count = ins.mode == .uvu ? a.mul : a.mul * c.mul
            let x = elements[ins.output] ?? 1
            paths.append(Path(instruction: ins, l1: l1, lf: lf, lo: lo, inputChannels: a.mul, outputChannels: c.mul,
                              inputOffset: inOffsets[ins.input], filterOffset: fOffsets[ins.filter],
                              outputOffset: outOffsets[ins.output], weightOffset: weightOffset, weightCount: count,
                              alpha: x > 0 ? (ins.pathWeight / x).squareRoot() : 0, entries: entries))
            weightOffset += count
        }
        self.irrepsIn = irrepsIn
        self.irrepsFilter = irrepsFilter
        self.irrepsOut = irrepsOut
        self.weightSharing = weightSharing
        self.paths = paths
        self.weightsPerEdge = weightOffset
        self.kernel = KernelTables(paths: paths)
    }

    /// The uniform product of TFN: `C` channels of every degree `0...lmaxIn` (natural parity,
    /// `Irreps.uniform`), filter `Irreps.spherical(lmax: lmaxFilter)`, output `C` channels of
    /// `0...lmaxOut`, and every allowed `uvu` path in lexicographic `(l1, lf, lo)` order; so
    /// `α_p = 1/√(number of paths into lo)`. Throws `LayerError` for negative degrees or
    /// `channels < 1`.
    public init(lmaxIn: Int, lmaxFilter: Int, lmaxOut: Int, channels: Int,
                weightSharing: WeightSharing = .perEdge) throws {
        let name = "TensorProductPlan"
        try LayerError.check(lmaxIn >= 0, name, "lmaxIn", lmaxIn, "must be >= 0")
        try LayerError.check(lmaxFilter >= 0, name, "lmaxFilter", lmaxFilter, "must be >= 0")
        try LayerError.check(lmaxOut >= 0, name, "lmaxOut", lmaxOut, "must be >= 0")
        try LayerError.check(channels >= 1, name, "channels", channels, "must be >= 1")
        let a = Irreps.uniform(channels: channels, lmax: lmaxIn), b = Irreps.spherical(lmax: lmaxFilter)
        let c = Irreps.uniform(channels: channels, lmax: lmaxOut)
        try self.init(irrepsIn: a, irrepsFilter: b, irrepsOut: c,
                      instructions: Self.allowedInstructions(irrepsIn: a, irrepsFilter: b, irrepsOut: c, mode: .uvu),
                      weightSharing: weightSharing)
    }

    /// Every allowed `(input, filter, output)` entry triple in lexicographic order, with `mode`
    /// (for `uvu`, only triples whose input and output multiplicities agree).
    public static func allowedInstructions(irrepsIn: Irreps, irrepsFilter: Irreps, irrepsOut: Irreps,
                                           mode: Mode) -> [Instruction] {
        var out: [Instruction] = []
        for (i, a) in irrepsIn.enumerated() {
            for (j, b) in irrepsFilter.enumerated() {
                for (k, c) in irrepsOut.enumerated() where Irrep.isAllowed(a.irrep, b.irrep, c.irrep) {
                    if mode == .uvu && a.mul != c.mul { continue }
                    out.append(Instruction(input: i, filter: j, output: k, mode: mode))
                }
            }
        }
        return out
    }

    /// Triangle rule `|l1 − lf| ≤ lo ≤ l1 + lf` and parity `l1 + lf + lo` even (natural parities).
    public static func isAllowed(l1: Int, lf: Int, lo: Int) -> Bool {
        lo >= abs(l1 - lf) && lo <= l1 + lf && (l1 + lf + lo) % 2 == 0
    }

    /// Number of paths `P`.
    public var pathCount: Int { paths.count }
    /// Values per row of the input, filter and output.
    public var inputDimension: Int { irrepsIn.dim }
    public var filterDimension: Int { irrepsFilter.dim }
    public var outputDimension: Int { irrepsOut.dim }

    /// `[M, C]` when the output irreps are uniform (`C` channels of every degree `0...L`, in order,
    /// any parities: the `SphericalFeatures` layout), `[dim]` otherwise: the shape of one output row.
    public var outputRowShape: [Int] {
        if let c = Self.uniformChannels(irrepsOut) { return [irrepsOut.dim / c, c] }
        return [irrepsOut.dim]
    }

    /// The common multiplicity of irreps of the form `C×0 + C×1 + … + C×L` (degrees in order, any
    /// parities; nil otherwise).
    public static func uniformChannels(_ irreps: Irreps) -> Int? {
        guard let c = irreps.first?.mul, c > 0 else { return nil }
        for (l, e) in irreps.enumerated() where e.mul != c || e.irrep.l != l { return nil }
        return c
    }

    /// Channels of a plan whose input and output are uniform with the same multiplicity (TFN's
    /// plans); a contract violation otherwise.
    public var channels: Int {
        let c = Self.uniformChannels(irrepsIn)
        require(c != nil && c == Self.uniformChannels(irrepsOut), "TensorProductPlan.channels of a non-uniform plan \(irrepsIn) → \(irrepsOut)")
        return c!
    }

    /// Total number of non-zero CG entries over all paths.
    public var nonZeroCount: Int { paths.reduce(0) { $0 + $1.entries.count } }
    /// Number of entries of the dense CG blocks of all paths, `Σ_p (2l1+1)(2lf+1)(2lo+1)`.
    public var denseCount: Int { paths.reduce(0) { $0 + (2 * $1.l1 + 1) * (2 * $1.lf + 1) * (2 * $1.lo + 1) } }
    /// Output entries that receive no path (they stay zero).
    public var unreachedOutputs: [Int] {
        irrepsOut.indices.filter { k in !paths.contains { $0.instruction.output == k } }
    }
    /// Output degrees that receive no path (for uniform plans: the degrees that stay zero).
    public var unreachedOutputDegrees: [Int] { unreachedOutputs.map { irrepsOut[$0].irrep.l } }

    /// Nominal forward FLOPs of one edge: 3 per non-zero CG entry and input channel (`C·Y`, `·x`,
    /// accumulate; a `uvu` path's weight multiply is folded into the count), plus for a `uvw` path
    /// the channel mixing, 2 per output component and `(u, w)` pair. Backward counts as 2×.
    public var nominalForwardFlopsPerEdge: Int {
        paths.reduce(0) { total, p in
            total + 3 * p.entries.count * p.inputChannels
                + (p.mode == .uvw ? 2 * (2 * p.lo + 1) * p.inputChannels * p.outputChannels : 0)
        }
    }
}
