import SE3Core
import SE3Math
import SE3Tensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Spherical-harmonic coefficients ↔ values on a grid of the sphere (eSCN's S² activations, seed
/// eq. 13–16): `latitudes` Gauss–Legendre nodes in `cos θ` times `longitudes` equally spaced
/// `φ_j = 2πj / longitudes`, point `p = (i, j)` at `(sin θ_i cos φ_j, sin θ_i sin φ_j, cos θ_i)`.
/// Grid values use the integral normalisation (as fairchem's `SO3_Grid`, e3nn `"integral"`),
/// `f(p) = Σ_k x_k Ŷ_k(p)` with `Ŷ = Y / √(4π)` and `Y` the component-normalised harmonics of
/// the node features, so that unit coefficients give values of order one whatever `lmax`:
///
///     toGrid[p, k]   = Y_{l_k m_k}(p) / √(4π)
///     fromGrid[k, p] = √(4π) · w_i / (2 · longitudes) · Y_{l_k m_k}(p)     (w_i: Gauss–Legendre weights)
///
/// for the coefficients `k` of `coefficients` (`(l, m)` pairs in any order: a node's
/// `l² + l + m` order, or an `EdgeFrameLayout`). `fromGrid` is the quadrature of
/// `∫ f Ŷ_lm dΩ`, so `fromGrid · toGrid = I` exactly when `latitudes ≥ lmax + 1` and
/// `longitudes > 2·max|m|`. A pointwise function on the grid is equivariant only up to the
/// quadrature's error (it creates higher frequencies); the error falls quickly with the
/// resolution (fairchem's default resolution integrates the quadratic part of the activation
/// exactly). Matrices are built in Double and stored in `T` by the ops.
public struct SphereGrid: Sendable {
    public let latitudes: Int
    public let longitudes: Int
    public let coefficients: [(l: Int, m: Int)]
    /// Row-major `[points, coefficients]` and `[coefficients, points]`.
    public let toGrid: [Double]
    public let fromGrid: [Double]

    public var points: Int { latitudes * longitudes }

    /// Throws `LayerError` for a resolution below 1.
    public init(coefficients: [(l: Int, m: Int)], latitudes: Int, longitudes: Int) throws {
        try LayerError.check(latitudes >= 1 && longitudes >= 1, "SphereGrid", "resolution", "\(latitudes) × \(longitudes)",
                             "must be at least 1 × 1")
        self.latitudes = latitudes
        self.longitudes = longitudes
        self.coefficients = coefficients
        let lmax = coefficients.map(\.l).max() ?? 0
        let P = latitudes * longitudes, K = coefficients.count
        var to = [Double](repeating: 0, count: P * K), from = to
        for (p, node) in Self.quadrature(latitudes: latitudes, longitudes: longitudes).enumerated() {
            let y = SphericalHarmonics.evaluate(lmax: lmax, node.point)
            for (k, c) in coefficients.enumerated() {
                let v = y[c.l * c.l + c.l + c.m]
                to[p * K + k] = v / Self.fourPiRoot
                from[k * P + p] = Self.fourPiRoot * node.weight * v
            }
        }
        toGrid = to
        fromGrid = from
    }

    /// `√(4π)`: component over integral normalisation.
    public static let fourPiRoot = (4 * Double.pi).squareRoot()

    /// The grid's points `p = (i, j)` (index `i · longitudes + j`) and quadrature weights
    /// `w_i / (2 · longitudes)` (summing to 1): `Σ_p weight_p f(p) = (1/4π) ∫ f dΩ` exactly for
    /// `f` of degree `< 2·latitudes` in `cos θ` and of order `< longitudes` in `φ`.
    public static func quadrature(latitudes: Int, longitudes: Int) -> [(point: SIMD3<Double>, weight: Double)] {
        let (t, w) = GaussLegendre.rule(latitudes)
        var nodes: [(point: SIMD3<Double>, weight: Double)] = []
        nodes.reserveCapacity(latitudes * longitudes)
        for i in 0..<latitudes {
            let ct = t[i], st = (1 - ct * ct).squareRoot()
            for j in 0..<longitudes {
                let phi = 2 * Double.pi * Double(j) / Double(longitudes)
                nodes.append((SIMD3(st * cos(phi), st * sin(phi), ct), w[i] / (2 * Double(longitudes))))
            }
        }
        return nodes
    }

    /// The coefficients of node features: `(l, m)` in `l² + l + m` order, `l = 0…lmax`.
    public static func nodeCoefficients(lmax: Int) -> [(l: Int, m: Int)] {
        (0...lmax).flatMap { l in (-l...l).map { (l: l, m: $0) } }
    }

    /// The coefficients of an edge frame layout, in its row order.
    public static func edgeCoefficients(_ layout: EdgeFrameLayout) -> [(l: Int, m: Int)] {
        zip(layout.degree, layout.order).map { (l: Int($0), m: Int($1)) }
    }

    /// `[B, points, C]` values of `[B, coefficients, C]` (one tape op; backward `toGridᵀ`).
    public func values<T>(_ x: Variable<T>) -> Variable<T> {
        Self.transform(x, matrix: toGrid.map { T($0) }, rows: points, columns: coefficients.count)
    }

    /// `[B, coefficients, C]` of `[B, points, C]` values (one tape op; backward `fromGridᵀ`).
    public func coefficients<T>(of g: Variable<T>) -> Variable<T> {
        Self.transform(g, matrix: fromGrid.map { T($0) }, rows: coefficients.count, columns: points)
    }

    /// `fromGrid · (k · SiLU(toGrid · x))` for `x` `[B, coefficients, C]`, in chunks of rows so that
    /// the grid values are never stored (the backward pass recomputes them): eSCN's pointwise
    /// activation on the sphere. `k = ActivationNormalization.silu`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func activation<T>(_ x: Variable<T>) -> Variable<T> {
        let B = x.shape.first ?? 0, K = coefficients.count, C = x.shape.last ?? 0, P = points
        require(x.rank == 3 && x.shape[1] == K, "SphereGrid.activation: input shape \(x.shape), expected [B, \(K), C]")
        let to = toGrid.map { T($0) }, from = fromGrid.map { T($0) }
        let k = T(ActivationNormalization.silu)
        let chunk = max(1, min(B, 16384 / max(1, C)))
        let xv = x.value
        var out = Tensor<T>(zeros: [B, K, C])
        // per row b: grid[b] = to · x[b] ([P, K] × [K, C]); out[b] = from · act(grid[b])
        withUnsafeTemporaryAllocation(of: T.self, capacity: chunk * P * C) { grid in
        xv.scalars.withUnsafeBufferPointer { px in
        out.scalars.withUnsafeMutableBufferPointer { po in
        to.withUnsafeBufferPointer { pt in
        from.withUnsafeBufferPointer { pf in
            var b0 = 0
            while b0 < B {
                let n = min(chunk, B - b0)
                for b in 0..<n {
                    T.gemm(transposeA: false, transposeB: false, m: P, n: C, k: K, alpha: 1, a: pt.baseAddress!, lda: K,
                           b: px.baseAddress! + (b0 + b) * K * C, ldb: C, beta: 0, c: grid.baseAddress! + b * P * C, ldc: C)
                }
                VectorMath.silu(grid.baseAddress!, count: n * P * C, scale: k, into: grid.baseAddress!)
                for b in 0..<n {
                    T.gemm(transposeA: false, transposeB: false, m: K, n: C, k: P, alpha: 1, a: pf.baseAddress!, lda: P,
                           b: grid.baseAddress! + b * P * C, ldb: C, beta: 0, c: po.baseAddress! + (b0 + b) * K * C, ldc: C)
                }
                b0 += n
            }
        }}}}}
        return x.tape.custom(value: out, inputs: [x]) { g in
            var gx = Tensor<T>(zeros: [B, K, C])
            withUnsafeTemporaryAllocation(of: T.self, capacity: 2 * chunk * P * C) { scratch in
            xv.scalars.withUnsafeBufferPointer { px in
            g.scalars.withUnsafeBufferPointer { pg in
            gx.scalars.withUnsafeMutableBufferPointer { pgx in
            to.withUnsafeBufferPointer { pt in
            from.withUnsafeBufferPointer { pf in
                let grid = scratch.baseAddress!, up = grid + chunk * P * C
                var b0 = 0
                while b0 < B {
                    let n = min(chunk, B - b0)
                    for b in 0..<n {
                        T.gemm(transposeA: false, transposeB: false, m: P, n: C, k: K, alpha: 1, a: pt.baseAddress!, lda: K,
                               b: px.baseAddress! + (b0 + b) * K * C, ldb: C, beta: 0, c: grid + b * P * C, ldc: C)
                        // ∂act = fromᵀ · ∂out
                        T.gemm(transposeA: true, transposeB: false, m: P, n: C, k: K, alpha: 1, a: pf.baseAddress!, lda: P,
                               b: pg.baseAddress! + (b0 + b) * K * C, ldb: C, beta: 0, c: up + b * P * C, ldc: C)
                    }
                    VectorMath.siluGradient(grid, count: n * P * C, scale: k, multiplying: up)
                    for b in 0..<n {      // ∂x = toᵀ · ∂grid
                        T.gemm(transposeA: true, transposeB: false, m: K, n: C, k: P, alpha: 1, a: pt.baseAddress!, lda: K,
                               b: up + b * P * C, ldb: C, beta: 0, c: pgx.baseAddress! + (b0 + b) * K * C, ldc: C)
                    }
                    b0 += n
                }
            }}}}}}
            return [gx]
        }
    }

    /// `[points.count, coefficients.count]` row-major: `Y_{l_k m_k}(p) / √(4π)`, values at any points
    /// in the normalisation of `toGrid` (sampling matrix for `transform`).
    public static func samplingMatrix(coefficients: [(l: Int, m: Int)], at points: [SIMD3<Double>]) -> [Double] {
        let lmax = coefficients.map(\.l).max() ?? 0, K = coefficients.count
        var a = [Double](repeating: 0, count: points.count * K)
        for (p, v) in points.enumerated() {
            let y = SphericalHarmonics.evaluate(lmax: lmax, v)
            for (k, c) in coefficients.enumerated() { a[p * K + k] = y[c.l * c.l + c.l + c.m] / fourPiRoot }
        }
        return a
    }

    /// `y[b] = A · x[b]` for `x` `[B, columns, C]`, `A` `[rows, columns]` constant; backward `Aᵀ`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func transform<T>(_ x: Variable<T>, matrix a: [T], rows: Int, columns: Int) -> Variable<T> {
        let B = x.shape.first ?? 0, C = x.shape.last ?? 0
        require(x.rank == 3 && x.shape[1] == columns, "SphereGrid: input shape \(x.shape), expected [B, \(columns), C]")
        let xv = x.value
        var out = Tensor<T>(zeros: [B, rows, C])
        if B > 0 && C > 0 {
            xv.scalars.withUnsafeBufferPointer { px in
            out.scalars.withUnsafeMutableBufferPointer { po in
            a.withUnsafeBufferPointer { pa in
                for b in 0..<B {
                    T.gemm(transposeA: false, transposeB: false, m: rows, n: C, k: columns, alpha: 1, a: pa.baseAddress!, lda: columns,
                           b: px.baseAddress! + b * columns * C, ldb: C, beta: 0, c: po.baseAddress! + b * rows * C, ldc: C)
                }
            }}}
        }
        return x.tape.custom(value: out, inputs: [x]) { g in
            var gx = Tensor<T>(zeros: [B, columns, C])
            if B > 0 && C > 0 {
                g.scalars.withUnsafeBufferPointer { pg in
                gx.scalars.withUnsafeMutableBufferPointer { pgx in
                a.withUnsafeBufferPointer { pa in
                    for b in 0..<B {
                        T.gemm(transposeA: true, transposeB: false, m: columns, n: C, k: rows, alpha: 1, a: pa.baseAddress!, lda: columns,
                               b: pg.baseAddress! + b * rows * C, ldb: C, beta: 0, c: pgx.baseAddress! + b * columns * C, ldc: C)
                    }
                }}}
            }
            return [gx]
        }
    }
}
