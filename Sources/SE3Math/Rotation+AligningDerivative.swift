extension Rotation {
    /// `∂R/∂d_x, ∂R/∂d_y, ∂R/∂d_z` of `R = Rotation.aligning(d)`. With `r = |d|`, `ρ = √(x² + y²)`,
    /// `cos φ = x/ρ`, `sin φ = y/ρ`, `cos θ = z/r`, `sin θ = ρ/r`, the rows of `R` are
    /// `(cosθ cosφ, cosθ sinφ, −sinθ)`, `(−sinφ, cosφ, 0)`, `(sinθ cosφ, sinθ sinφ, cosθ)`. On the
    /// polar axis (`ρ = 0`), where `φ` is undefined, the derivatives of `φ` and of `sin θ` are taken
    /// as 0; the zero vector gives zeros.
    public static func aligningDerivative(_ d: SIMD3<Double>) -> (x: Rotation, y: Rotation, z: Rotation) {
        let zero = Rotation(rows: .zero, .zero, .zero)
        let r2 = (d * d).sum()
        guard r2 > 0, r2.isFinite else { return (zero, zero, zero) }
        let r = r2.squareRoot(), r3 = r2 * r
        let rho = (d.x * d.x + d.y * d.y).squareRoot()
        var cp = 1.0, sp = 0.0
        if rho > 0 { cp = d.x / rho; sp = d.y / rho }
        let ct = d.z / r, st = rho / r
        // partial derivatives of (cp, sp, ct, st) with respect to (x, y, z)
        var dcp = SIMD3<Double>.zero, dsp = SIMD3<Double>.zero, dst = SIMD3<Double>.zero
        if rho > 0 {
            let rho3 = rho * rho * rho
            dcp = SIMD3(d.y * d.y / rho3, -d.x * d.y / rho3, 0)
            dsp = SIMD3(-d.x * d.y / rho3, d.x * d.x / rho3, 0)
            dst = SIMD3(d.x * d.z * d.z / (rho * r3), d.y * d.z * d.z / (rho * r3), -rho * d.z / r3)
        }
        let dct = SIMD3(-d.z * d.x / r3, -d.z * d.y / r3, rho * rho / r3)
        func derivative(_ k: Int) -> Rotation {
            let a = dcp[k], b = dsp[k], c = dct[k], e = dst[k]
            return Rotation(rows: SIMD3(c * cp + ct * a, c * sp + ct * b, -e),
                            SIMD3(-b, a, 0),
                            SIMD3(e * cp + st * a, e * sp + st * b, c))
        }
        return (derivative(0), derivative(1), derivative(2))
    }
}
