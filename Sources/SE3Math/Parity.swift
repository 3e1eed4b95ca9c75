/// Behaviour of an irrep under the inversion x ↦ −x.
///
/// A feature of parity `p` and degree `l` transforms under an improper rotation
/// `R = −Q` (Q ∈ SO(3)) as `p · D^l(Q)`. Spherical harmonics have "natural"
/// parity `p = (−1)^l` because `Y^l(−x) = (−1)^l Y^l(x)`.
public enum Parity: Int, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// `p = +1`, printed `e`.
    case even = 1
    /// `p = −1`, printed `o`.
    case odd = -1

    /// The parity as a sign, `+1` or `−1`.
    @inlinable public var sign: Int { rawValue }

    /// `p` as a `Double` (`±1.0`), convenient in kernels.
    @inlinable public var value: Double { Double(rawValue) }

    /// The natural parity of degree `l`: `(−1)^l` (even for even l).
    @inlinable public static func natural(_ l: Int) -> Parity { l % 2 == 0 ? .even : .odd }

    /// `p^n` (`p` raised to an integer power, n ≥ 0).
    @inlinable public func power(_ n: Int) -> Parity { (self == .even || n % 2 == 0) ? .even : .odd }

    /// Product of parities `p1 · p2`.
    @inlinable public static func * (a: Parity, b: Parity) -> Parity { a == b ? .even : .odd }

    /// `"e"` or `"o"`.
    public var description: String { self == .even ? "e" : "o" }
}
