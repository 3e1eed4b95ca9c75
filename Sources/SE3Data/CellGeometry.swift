/// Geometry of a (possibly partially) periodic cell, used for binning atoms.
///
/// `rows` are the lattice vectors a₀, a₁, a₂ (Å). Fractional coordinates satisfy
/// `r = f₀ a₀ + f₁ a₁ + f₂ a₂`, i.e. `f_d = r · b_d` with reciprocal vectors
/// `b_d = (a_{d+1} × a_{d+2}) / det`, `det = a₀ · (a₁ × a₂)`. The perpendicular height of
/// the cell along d (distance between the two faces spanned by the other two vectors) is
/// `h_d = |det| / |a_{d+1} × a_{d+2}| = 1 / |b_d|`: two points whose fractional coordinate
/// d differs by Δ are at least `|Δ| · h_d` apart. That is what decides how many images
/// are needed for a cutoff (`ceil(cutoff / h_d)` along d), also for skewed cells.
///
/// Non-periodic directions only matter for binning, never for shifts (their shift is 0),
/// so the binning basis replaces them by unit vectors orthogonal to the periodic ones:
/// a slab with a zero third vector (pbc = T T F) is fine, only the periodic vectors must
/// be linearly independent.
public struct CellGeometry: Equatable, Sendable {
    /// The basis used for fractional coordinates (periodic rows as given; others replaced).
    public var basis: [SIMD3<Double>]
    /// Reciprocal vectors `b_d` of `basis` (fractional `f_d = r · b_d`).
    public var reciprocal: [SIMD3<Double>]
    /// Perpendicular heights `h_d` of `basis` (Å).
    public var heights: SIMD3<Double>
    /// Periodic flags.
    public var periodic: SIMD3<UInt8>

    /// - Throws: `DataError` (field "cell") when a periodic lattice vector is missing, not
    ///   finite, or the periodic vectors are (nearly) linearly dependent.
    public init(cell: [SIMD3<Double>]?, pbc: SIMD3<UInt8>?, context: String) throws {
        let p = pbc ?? SIMD3<UInt8>(0, 0, 0)
        let anyPeriodic = p.x != 0 || p.y != 0 || p.z != 0
        let flags = SIMD3<UInt8>(p.x != 0 ? 1 : 0, p.y != 0 ? 1 : 0, p.z != 0 ? 1 : 0)
        periodic = flags
        var b: [SIMD3<Double>] = [SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1)]
        if anyPeriodic {
            guard let c = cell else {
                throw DataError(file: context, field: "cell", "pbc is set but the structure has no cell")
            }
            guard c.count == 3 else {
                throw DataError(file: context, field: "cell", "cell must have 3 lattice vectors, got \(c.count)")
            }
            for v in c where !(v.x.isFinite && v.y.isFinite && v.z.isFinite) {
                throw DataError(file: context, field: "cell", "lattice vector \(v) is not finite")
            }
            let per = (0..<3).filter { flags[$0] != 0 }
            let non = (0..<3).filter { flags[$0] == 0 }
            for d in per { b[d] = c[d] }
            switch per.count {
            case 3:
                let det = cgDot(c[0], cgCross(c[1], c[2]))
                let scale = cgNorm(c[0]) * cgNorm(c[1]) * cgNorm(c[2])
                guard scale > 0, abs(det) > 1e-10 * scale else {
                    throw DataError(file: context, field: "cell", "singular cell (volume \(det) Å^3) with periodic boundaries")
                }
            case 2:
                let n = cgCross(c[per[0]], c[per[1]])
                let scale = cgNorm(c[per[0]]) * cgNorm(c[per[1]])
                guard scale > 0, cgNorm(n) > 1e-10 * scale else {
                    throw DataError(file: context, field: "cell", "periodic lattice vectors \(per[0]) and \(per[1]) are parallel or zero")
                }
                b[non[0]] = n / cgNorm(n)
            default: // one periodic direction
                let a = c[per[0]]
                let la = cgNorm(a)
                guard la > 0 else {
                    throw DataError(file: context, field: "cell", "periodic lattice vector \(per[0]) is zero")
                }
                let u = a / la
                // the coordinate axis least aligned with a
                let ax = abs(u.x) <= abs(u.y) && abs(u.x) <= abs(u.z) ? SIMD3<Double>(1, 0, 0)
                    : (abs(u.y) <= abs(u.z) ? SIMD3<Double>(0, 1, 0) : SIMD3<Double>(0, 0, 1))
                var v = cgCross(u, ax); v /= cgNorm(v)
                let w = cgCross(u, v)
                b[non[0]] = v
                b[non[1]] = w
            }
        }
        basis = b
        let det = cgDot(b[0], cgCross(b[1], b[2]))
        let c12 = cgCross(b[1], b[2]), c20 = cgCross(b[2], b[0]), c01 = cgCross(b[0], b[1])
        reciprocal = [c12 / det, c20 / det, c01 / det]
        heights = SIMD3(abs(det) / cgNorm(c12), abs(det) / cgNorm(c20), abs(det) / cgNorm(c01))
    }

    /// Fractional coordinates of `r` in `basis`.
    @inline(__always)
    public func fractional(_ r: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(cgDot(r, reciprocal[0]), cgDot(r, reciprocal[1]), cgDot(r, reciprocal[2]))
    }
}

@inline(__always) func cgDot(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { (a * b).sum() }
@inline(__always) func cgNorm(_ a: SIMD3<Double>) -> Double { (a * a).sum().squareRoot() }
@inline(__always) func cgCross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}
