#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Second-moment normalisation constants of activations (e3nn `normalize2mom`):
/// `k_f = 1 / √(E_{z ~ N(0,1)}[f(z)²])`, so that `k_f · f(z)` has unit second moment for
/// standard-normal `z`. Computed once by the trapezoid rule on `[−12, 12]` (error < 1e-10).
public enum ActivationNormalization {
    /// `k_SiLU ≈ 1.67653` for `SiLU(z) = z σ(z)`.
    public static let silu: Double = constant { z in z / (1 + exp(-z)) }
    /// `k_ReLU = √2` for `max(z, 0)` (`E[ReLU(z)²] = 1/2`).
    public static let relu: Double = constant { z in max(z, 0) }
    /// `k_σ ≈ 1.84623` for the logistic sigmoid.
    public static let sigmoid: Double = constant { z in 1 / (1 + exp(-z)) }

    static func constant(_ f: (Double) -> Double) -> Double {
        let n = 24_000, a = -12.0, h = 24.0 / Double(n)
        var s = 0.0
        for i in 0...n {
            let z = a + Double(i) * h
            let wgt = (i == 0 || i == n) ? 0.5 : 1.0
            let v = f(z)
            s += wgt * v * v * exp(-z * z / 2)
        }
        let moment = s * h / (2 * Double.pi).squareRoot()
        return 1 / moment.squareRoot()
    }
}
