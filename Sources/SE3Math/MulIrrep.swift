import SE3Core
/// `mul` copies of one irrep, printed `"<mul>x<irrep>"`, e.g. `"16x0e"`.
///
/// Memory layout of the `mul · (2l + 1)` components inside an `Irreps` feature vector
/// (e3nn "mul_ir" layout): component `(u, m)` with `u ∈ 0..<mul`, `m ∈ −l...l` sits at
/// `u · (2l + 1) + (m + l)` relative to the entry's offset.
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
