#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// DimeNet/NequIP radial Bessel functions on `[0, c]`:
///
///     b_n(r) = √(2/c) · sin(nπ r / c) / r,      n = 1...count,
///
/// (orthonormal on `[0, c]` w.r.t. `r² dr`). At `r → 0` the limit `√(2/c) nπ/c` is used
/// (a Taylor expansion for `r < 1e-4 c`). Functions are index `k = n − 1`.
public struct BesselBasis: RadialBasis, Equatable, Codable {
    public let count: Int
    public let cutoff: Double

    /// Throws `LayerError` unless `count ≥ 1` and `cutoff > 0` (finite).
    public init(count: Int, cutoff: Double) throws {
        try LayerError.check(count >= 1, "BesselBasis", "count", count, "must be >= 1")
        try LayerError.check(cutoff > 0 && cutoff.isFinite, "BesselBasis", "cutoff", cutoff, "must be a positive length (Å)")
        self.count = count
        self.cutoff = cutoff
    }

    public func evaluate(_ r: Double, values: UnsafeMutablePointer<Double>, derivatives: UnsafeMutablePointer<Double>?) {
        let pref = (2 / cutoff).squareRoot()
        for k in 0..<count {
            let a = Double(k + 1) * Double.pi / cutoff
            let x = a * r
            if abs(r) < 1e-4 * cutoff {
                // sin(x)/r = a (1 − x²/6 + x⁴/120);  d/dr = a² (−x/3 + x³/30)
                let x2 = x * x
                values[k] = pref * a * (1 - x2 / 6 + x2 * x2 / 120)
                derivatives?[k] = pref * a * a * (-x / 3 + x * x2 / 30)
            } else {
                let s = sin(x)
                values[k] = pref * s / r
                derivatives?[k] = pref * (a * cos(x) * r - s) / (r * r)
            }
        }
    }
}
