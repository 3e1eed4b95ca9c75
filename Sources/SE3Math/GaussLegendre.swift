import SE3Core
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gauss–Legendre quadrature on `[−1, 1]`: `∫ f(t) dt ≈ Σ_i w_i f(t_i)`, exact for polynomials
/// of degree `≤ 2n − 1`. Nodes ascending; computed by Newton's method on `P_n` from Chebyshev
/// initial guesses (converged to machine precision).
public enum GaussLegendre {
    public static func rule(_ n: Int) -> (nodes: [Double], weights: [Double]) {
        require(n >= 1, "GaussLegendre.rule: n must be >= 1, got \(n)")
        if n == 1 { return ([0], [2]) }
        var nodes = [Double](repeating: 0, count: n), weights = nodes
        for i in 0..<((n + 1) / 2) {
            var t = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var derivative = 1.0
            for _ in 0..<100 {
                // P_n(t) and P_{n−1}(t) by the three-term recurrence
                var p0 = 1.0, p1 = t
                for k in 2...n {
                    let p2 = ((2 * Double(k) - 1) * t * p1 - (Double(k) - 1) * p0) / Double(k)
                    p0 = p1; p1 = p2
                }
                derivative = Double(n) * (t * p1 - p0) / (t * t - 1)
                let dt = p1 / derivative
                t -= dt
                if abs(dt) < 1e-16 { break }
            }
            let w = 2 / ((1 - t * t) * derivative * derivative)
            nodes[i] = -t; nodes[n - 1 - i] = t
            weights[i] = w; weights[n - 1 - i] = w
        }
        return (nodes, weights)
    }
}
