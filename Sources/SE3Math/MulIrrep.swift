import SE3Core
/// `mul` copies of one irrep, printed `"<mul>x<irrep>"`, e.g. `"16x0e"`.
///
/// Memory layout of the `mul · (2l + 1)` components inside an `Irreps` feature vector (se3's
/// "ir_mul" layout): component `(m, u)` with `m ∈ −l...l`, `u ∈ 0..<mul` sits at
/// `(m + l) · mul + u` relative to the entry's offset.
public struct MulIrrep: Sendable, Hashable, CustomStringConvertible {
    /// Multiplicity (number of channels), `≥ 0`.
    public var mul: Int
    /// The irrep.
    public var irrep: Irrep

    @inlinable public init(_ mul: Int, _ irrep: Irrep) {
        require(mul >= 0, "MulIrrep: multiplicity must be non-negative, got \(mul)")
        self.mul = mul
        self.irrep = irrep
    }

    /// Total dimension `mul · (2l + 1)`.
    @inlinable public var dim: Int { mul * irrep.dim }

    /// `"16x0e"`.
    public var description: String { "\(mul)x\(irrep)" }
}
