import SE3Core
/// An irreducible representation of O(3): degree `l ≥ 0` and parity `p = ±1`.
///
/// Dimension `2l + 1`. Printed and parsed as `"<l><e|o>"`, e.g. `"0e"`, `"1o"`, `"2e"`;
/// the parser also accepts `"<l>y"` meaning natural parity `(−1)^l` (as e3nn does).
///
/// Ordering (`Comparable`) follows e3nn, which compares the tuple `(l, p)` with `p ∈ {−1, +1}`:
/// first by `l`, then **odd (p = −1) before even (p = +1)** at equal `l`.
public struct Irrep: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Degree, `l ≥ 0`.
    public let l: Int
    /// Parity.
    public let p: Parity

    /// Creates `l` with parity `p`. `l` must be ≥ 0 (use `init(validating:_:)` or the string
    /// parser for untrusted values).
    @inlinable public init(_ l: Int, _ p: Parity) {
        require(l >= 0, "Irrep: degree must be non-negative, got \(l)")
        self.l = l
        self.p = p
    }

    /// Throwing initialiser for untrusted degrees.
    public init(validating l: Int, _ p: Parity) throws {
        guard l >= 0 else { throw IrrepsError.negativeDegree(l) }
        self.l = l
        self.p = p
    }

    /// Dimension `2l + 1`.
    @inlinable public var dim: Int { 2 * l + 1 }

    /// `true` for `0e`.
    @inlinable public var isScalar: Bool { l == 0 && p == .even }

    /// The spherical-harmonic irrep of degree `l`: `l` with natural parity `(−1)^l`.
    @inlinable public static func spherical(_ l: Int) -> Irrep { Irrep(l, .natural(l)) }

    /// Irreps in the tensor product `a ⊗ b`: degrees `|l1 − l2| ≤ l3 ≤ l1 + l2` (ascending),
    /// parity `p1 · p2`.
    public static func productIrreps(_ a: Irrep, _ b: Irrep) -> [Irrep] {
        let p = a.p * b.p
        return (abs(a.l - b.l)...(a.l + b.l)).map { Irrep($0, p) }
    }

    /// Whether `c` occurs in `a ⊗ b` (triangle rule on degrees and `p_c = p_a · p_b`).
    public static func isAllowed(_ a: Irrep, _ b: Irrep, _ c: Irrep) -> Bool {
        c.p == a.p * b.p && c.l >= abs(a.l - b.l) && c.l <= a.l + b.l
    }

    /// e3nn order: by `l`, then odd before even.
    public static func < (a: Irrep, b: Irrep) -> Bool {
        a.l != b.l ? a.l < b.l : a.p.rawValue < b.p.rawValue
    }

    /// `"1o"`, `"2e"`, ...
    public var description: String { "\(l)\(p)" }
}
