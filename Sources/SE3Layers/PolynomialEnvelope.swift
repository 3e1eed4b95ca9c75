/// DimeNet's smooth polynomial cutoff of `d = r / c`:
///
///     u(d) = 1 − (p+1)(p+2)/2 · d^p + p(p+2) · d^(p+1) − p(p+1)/2 · d^(p+2)   for d < 1,
///     u(d) = 0                                                                 for d ≥ 1,
///
/// with `u(0) = 1` and `u(1) = u'(1) = u''(1) = 0` (twice continuously differentiable at the
/// cutoff). Default `p = 6` (NequIP); DimeNet uses `p = 6` for "exponent 5".
public struct PolynomialEnvelope: Equatable, Codable, Sendable {
    public let p: Int

    /// Throws `LayerError` unless `p ≥ 1`.
    public init(p: Int = 6) throws {
        try LayerError.check(p >= 1, "PolynomialEnvelope", "p", p, "must be >= 1")
        self.p = p
    }

    @inline(__always)
    static func power(_ x: Double, _ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<n { r *= x }
        return r
    }

    /// `u(d)`.
    public func value(_ d: Double) -> Double {
        guard d < 1 else { return 0 }
        let P = Double(p), dp = Self.power(d, p)
        return 1 - (P + 1) * (P + 2) / 2 * dp + P * (P + 2) * dp * d - P * (P + 1) / 2 * dp * d * d
    }

    /// `du/dd = p(p+1)(p+2)/2 · d^(p−1) · (−1 + 2d − d²) = −p(p+1)(p+2)/2 · d^(p−1) (1 − d)²`.
    public func derivative(_ d: Double) -> Double {
        guard d < 1 else { return 0 }
        let P = Double(p)
        let one = 1 - d
        return -P * (P + 1) * (P + 2) / 2 * Self.power(d, p - 1) * one * one
    }
}
