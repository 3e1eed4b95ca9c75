import SE3Core
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 3×3 orthogonal matrix (row-major, rows `r0, r1, r2`) acting on column vectors `x ↦ R x`.
///
/// Composition: `(A * B) x = A (B x)`. Proper rotations have `det = +1`; improper ones
/// (`det = −1`, e.g. `−I`) are allowed where documented (`WignerD` handles them via parity).
public struct Rotation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Rows of the matrix.
    public var r0: SIMD3<Double>, r1: SIMD3<Double>, r2: SIMD3<Double>

    /// From rows.
    @inlinable public init(rows r0: SIMD3<Double>, _ r1: SIMD3<Double>, _ r2: SIMD3<Double>) {
        self.r0 = r0; self.r1 = r1; self.r2 = r2
    }

    /// From 9 row-major values (`m[3 i + j] = R_ij`); `m.count` must be 9.
    public init(rowMajor m: [Double]) {
        require(m.count == 9, "Rotation(rowMajor:) needs 9 values, got \(m.count)")
        self.init(rows: SIMD3(m[0], m[1], m[2]), SIMD3(m[3], m[4], m[5]), SIMD3(m[6], m[7], m[8]))
    }

    /// The identity.
    public static let identity = Rotation(rows: SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1))

    /// The inversion `−I` (improper, det = −1).
    public static let inversion = Rotation(rows: SIMD3(-1, 0, 0), SIMD3(0, -1, 0), SIMD3(0, 0, -1))

    /// Element `R_ij`, `i, j ∈ 0..<3`.
    @inlinable public subscript(i: Int, j: Int) -> Double {
        switch i { case 0: return r0[j]; case 1: return r1[j]; default: return r2[j] }
    }

    /// Row-major values `[R00, R01, R02, R10, ...]`.
    public var rowMajor: [Double] { [r0.x, r0.y, r0.z, r1.x, r1.y, r1.z, r2.x, r2.y, r2.z] }

    /// Columns of the matrix.
    @inlinable public var c0: SIMD3<Double> { SIMD3(r0.x, r1.x, r2.x) }
    @inlinable public var c1: SIMD3<Double> { SIMD3(r0.y, r1.y, r2.y) }
    @inlinable public var c2: SIMD3<Double> { SIMD3(r0.z, r1.z, r2.z) }

    /// Transpose `Rᵀ`.
    @inlinable public var transposed: Rotation { Rotation(rows: c0, c1, c2) }

    /// Inverse, equal to `Rᵀ` for an orthogonal matrix.
    @inlinable public var inverse: Rotation { transposed }

    /// Determinant (`+1` proper, `−1` improper).
    @inlinable public var determinant: Double {
        let c = SIMD3<Double>(r1.y * r2.z - r1.z * r2.y, r1.z * r2.x - r1.x * r2.z, r1.x * r2.y - r1.y * r2.x)
        return (r0 * c).sum()
    }

    /// Whether `det < 0`.
    @inlinable public var isImproper: Bool { determinant < 0 }

    /// `R x`.
    @inlinable public func apply(_ v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3((r0 * v).sum(), (r1 * v).sum(), (r2 * v).sum())
    }

    /// `R x`.
    @inlinable public static func * (a: Rotation, v: SIMD3<Double>) -> SIMD3<Double> { a.apply(v) }

    /// Matrix product `A B` (apply `B` first).
    @inlinable public static func * (a: Rotation, b: Rotation) -> Rotation {
        let bt = b.transposed
        return Rotation(rows: SIMD3((a.r0 * bt.r0).sum(), (a.r0 * bt.r1).sum(), (a.r0 * bt.r2).sum()),
                        SIMD3((a.r1 * bt.r0).sum(), (a.r1 * bt.r1).sum(), (a.r1 * bt.r2).sum()),
                        SIMD3((a.r2 * bt.r0).sum(), (a.r2 * bt.r1).sum(), (a.r2 * bt.r2).sum()))
    }

    /// `−R` (flips properness).
    @inlinable public static prefix func - (a: Rotation) -> Rotation { Rotation(rows: -a.r0, -a.r1, -a.r2) }

    /// Max-abs difference between entries.
    public func maxDifference(_ o: Rotation) -> Double {
        var m = 0.0
        for (a, b) in [(r0, o.r0), (r1, o.r1), (r2, o.r2)] {
            let d = a - b
            m = max(m, Swift.abs(d.x), Swift.abs(d.y), Swift.abs(d.z))
        }
        return m
    }

    /// Rotation about the unit `axis` (normalised internally) by `angle` radians
    /// (right-hand rule; Rodrigues: `R = I + sinα K + (1 − cosα) K²`). A zero axis gives identity.
    public static func axisAngle(_ axis: SIMD3<Double>, _ angle: Double) -> Rotation {
        let n2 = (axis * axis).sum()
        guard n2 > 0 else { return .identity }
        let a = axis / n2.squareRoot()
        let c = cos(angle), s = sin(angle), t = 1 - c
        return Rotation(rows: SIMD3(t * a.x * a.x + c, t * a.x * a.y - s * a.z, t * a.x * a.z + s * a.y),
                        SIMD3(t * a.x * a.y + s * a.z, t * a.y * a.y + c, t * a.y * a.z - s * a.x),
                        SIMD3(t * a.x * a.z - s * a.y, t * a.y * a.z + s * a.x, t * a.z * a.z + c))
    }

    /// `Rz(α)`: rotation by `α` about `z`.
    public static func aboutZ(_ a: Double) -> Rotation {
        let c = cos(a), s = sin(a)
        return Rotation(rows: SIMD3(c, -s, 0), SIMD3(s, c, 0), SIMD3(0, 0, 1))
    }

    /// `Ry(β)`: rotation by `β` about `y`.
    public static func aboutY(_ b: Double) -> Rotation {
        let c = cos(b), s = sin(b)
        return Rotation(rows: SIMD3(c, 0, s), SIMD3(0, 1, 0), SIMD3(-s, 0, c))
    }

    /// `Rx(γ)`: rotation by `γ` about `x`.
    public static func aboutX(_ g: Double) -> Rotation {
        let c = cos(g), s = sin(g)
        return Rotation(rows: SIMD3(1, 0, 0), SIMD3(0, c, -s), SIMD3(0, s, c))
    }

    /// ZYZ Euler angles: `R = Rz(α) Ry(β) Rz(γ)` (γ applied first).
    public static func eulerZYZ(_ alpha: Double, _ beta: Double, _ gamma: Double) -> Rotation {
        aboutZ(alpha) * aboutY(beta) * aboutZ(gamma)
    }

    /// Rotation from a quaternion `(w, x, y, z)` (normalised internally; zero gives identity).
    public static func quaternion(_ w: Double, _ x: Double, _ y: Double, _ z: Double) -> Rotation {
        let n2 = w * w + x * x + y * y + z * z
        guard n2 > 0 else { return .identity }
        let s = 2 / n2
        return Rotation(rows: SIMD3(1 - s * (y * y + z * z), s * (x * y - w * z), s * (x * z + w * y)),
                        SIMD3(s * (x * y + w * z), 1 - s * (x * x + z * z), s * (y * z - w * x)),
                        SIMD3(s * (x * z - w * y), s * (y * z + w * x), 1 - s * (x * x + y * y)))
    }

    /// Uniform (Haar) random rotation: a normalised quaternion of 4 standard normals.
    public static func random<G: RandomNumberGenerator>(using g: inout G) -> Rotation {
        func gauss() -> Double {
            var u1 = Double.random(in: 0..<1, using: &g)
            if u1 < 1e-300 { u1 = 1e-300 }
            let u2 = Double.random(in: 0..<1, using: &g)
            return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        }
        return quaternion(gauss(), gauss(), gauss(), gauss())
    }

    /// The rotation `R = Ry(−θ) Rz(−φ)` sending the direction `d̂ = d / |d|` to `+z`
    /// (`R d̂ = (0, 0, 1)`), where `(θ, φ)` are the polar/azimuthal angles of `d̂`:
    ///
    ///     ρ = √(d_x² + d_y²),  cosφ = d_x/ρ, sinφ = d_y/ρ  (φ = 0 when ρ = 0),
    ///     cosθ = d_z/|d|, sinθ = ρ/|d|,
    ///     R = [[cosθ cosφ, cosθ sinφ, −sinθ], [−sinφ, cosφ, 0], [sinθ cosφ, sinθ sinφ, cosθ]].
    ///
    /// Trig-free, deterministic; `d̂ = +z` gives the identity, `d̂ = −z` gives `diag(−1, 1, −1)`.
    /// The third row is `d̂`. A zero (or non-finite) `d` gives the identity. eSCN uses this frame
    /// (seed eq. 14–16).
    public static func aligning(_ d: SIMD3<Double>) -> Rotation {
        let n2 = (d * d).sum()
        guard n2 > 0, n2.isFinite else { return .identity }
        let n = n2.squareRoot()
        let rho = (d.x * d.x + d.y * d.y).squareRoot()
        var cp = 1.0, sp = 0.0
        if rho > 0 { cp = d.x / rho; sp = d.y / rho }
        let ct = d.z / n, st = rho / n
        return Rotation(rows: SIMD3(ct * cp, ct * sp, -st), SIMD3(-sp, cp, 0), SIMD3(st * cp, st * sp, ct))
    }

    public var description: String { "Rotation(\(rowMajor))" }
}
