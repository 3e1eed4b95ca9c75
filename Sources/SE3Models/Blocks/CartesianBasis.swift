import SE3Math

/// Constant maps from the spherical (SH) basis of the features to Cartesian outputs.
///
/// **Vectors (1o).** `Y^1 = √3 (y, z, x)/r` for `m = −1, 0, 1` (`SphericalHarmonics`), so an
/// `l = 1` feature `(v_{−1}, v_0, v_1)` is the Cartesian vector `(x, y, z) = (v_1, v_{−1}, v_0)`.
/// `vector` is the `[3, 3]` matrix `P` with `cartesian = v · P` (row vectors), i.e.
/// `P[m + 1, a(m)] = 1` with `a(−1) = y = 1`, `a(0) = z = 2`, `a(1) = x = 0`. Since
/// `D^1(R) = P' R P'ᵀ` in this basis, the Cartesian vector rotates as `R v`.
///
/// **Rank 2 (0e + 2e).** A symmetric Cartesian matrix from an isotropic part `a` (0e) and an
/// `l = 2` part `q` (2e):
///
///     T = a · I + S(q),     S(q)_{a(m1) a(m2)} = Σ_m C^{(2,m)}_{(1,m1)(1,m2)} q_m,
///
/// with `C` the se3 real Clebsch–Gordan block `1 ⊗ 1 → 2`. `S` is the adjoint of the CG
/// coupling `u ⊗ v ↦ (u ⊗ v)^{(2)}`: symmetric (the block is symmetric in `m1, m2` since
/// `1 + 1 − 2` is even), traceless (orthogonal to the `l = 0` coupling `δ_{m1 m2}/√3`) and an
/// isometry (`‖S(q)‖_F = ‖q‖`, CG orthonormality). Equivariance of the CG block gives
/// `S(D^2(R) q) = R S(q) Rᵀ`. `rank2` is the `[5, 9]` matrix with `T_flat = q · rank2`
/// (row-major 3×3: index `3 i + j`), `identity` the `[1, 9]` row `vec(I)`.
public enum CartesianBasis {
    /// Cartesian axis (0 = x, 1 = y, 2 = z) of the `l = 1` component `m + 1`.
    public static let axisOfComponent = [1, 2, 0]

    /// `[3, 3]` row-major: `cartesian[j] = Σ_i sh[i] · vector[3 i + j]`.
    public static let vector: [Double] = {
        var p = [Double](repeating: 0, count: 9)
        for i in 0..<3 { p[3 * i + axisOfComponent[i]] = 1 }
        return p
    }()

    /// `[5, 9]` row-major: `T[3 a + b] = Σ_m q[m + 2] · rank2[(m + 2) · 9 + 3 a + b]`.
    public static let rank2: [Double] = {
        var b = [Double](repeating: 0, count: 45)
        for e in ClebschGordan.block(l1: 1, l2: 1, l3: 2).nonZero {
            let row = axisOfComponent[e.i1], col = axisOfComponent[e.i2]
            b[e.i3 * 9 + 3 * row + col] += e.value
        }
        return b
    }()

    /// `[1, 9]`: the flattened 3×3 identity.
    public static let identity: [Double] = [1, 0, 0, 0, 1, 0, 0, 0, 1]
}
