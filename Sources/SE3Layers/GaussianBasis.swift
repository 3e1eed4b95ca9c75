#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gaussians with centres evenly spaced on `[0, c]` and width equal to the spacing:
///
///     g_k(r) = exp(−(r − μ_k)² / (2σ²)),   μ_k = k · c / (count − 1),   σ = c / (count − 1),
///
/// `k = 0..<count` (for `count = 1`: `μ_0 = 0`, `σ = c`). Not zero beyond the cutoff by
/// itself; combine with a `PolynomialEnvelope`.
public struct GaussianBasis: RadialBasis, Equatable, Codable {
    public let count: Int
    public let cutoff: Double

    /// Throws `LayerError` unless `count ≥ 1` and `cutoff > 0` (finite).
    public init(count: Int, cutoff: Double) throws {
        try LayerError.check(count >= 1, "GaussianBasis", "count", count, "must be >= 1")
        try LayerError.check(cutoff > 0 && cutoff.isFinite, "GaussianBasis", "cutoff", cutoff, "must be a positive length (Å)")
        self.count = count
        self.cutoff = cutoff
    }

    /// Spacing and width `σ`.
    public var width: Double { count > 1 ? cutoff / Double(count - 1) : cutoff }

    /// Centre `μ_k`.
    public func centre(_ k: Int) -> Double { count > 1 ? Double(k) * cutoff / Double(count - 1) : 0 }

    public func evaluate(_ r: Double, values: UnsafeMutablePointer<Double>, derivatives: UnsafeMutablePointer<Double>?) {
        let s2 = width * width
        for k in 0..<count {
            let d = r - centre(k)
            let g = exp(-d * d / (2 * s2))
            values[k] = g
            derivatives?[k] = -d / s2 * g
        }
    }
}
