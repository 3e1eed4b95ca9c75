/// Component order of an `l = 1` irrep in the se3 basis: `(m = −1, 0, 1) = (y, z, x)`.
///
/// A Cartesian vector `v = (x, y, z)` (a position difference, a force) must be permuted to
/// `(y, z, x)` before it is used as a `1o` feature, so that `D^1(R)` (see `WignerD`) and the
/// Clebsch–Gordan blocks act on it correctly: `D^1(R) fromCartesian(v) = fromCartesian(R v)`.
/// `Y^1(v) = √3 · fromCartesian(v / |v|)`.
public enum L1Basis {
    /// `(x, y, z) → (y, z, x)`.
    @inlinable public static func fromCartesian(_ v: SIMD3<Double>) -> SIMD3<Double> { SIMD3(v.y, v.z, v.x) }

    /// `(m = −1, 0, 1) = (y, z, x) → (x, y, z)`.
    @inlinable public static func toCartesian(_ f: SIMD3<Double>) -> SIMD3<Double> { SIMD3(f.z, f.x, f.y) }

    /// Index of Cartesian axis `a ∈ {0: x, 1: y, 2: z}` inside an `l = 1` block (`m + 1`).
    @inlinable public static func index(ofAxis a: Int) -> Int { (a + 2) % 3 }
}
