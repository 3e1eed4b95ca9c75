import XCTest
import SE3Math

/// Shared helpers for the SE3Math tests (dense row-major matrices, random inputs).
enum TS {
    static func gaussianVector(_ g: inout SeededGenerator) -> SIMD3<Double> {
        SIMD3(g.nextGaussian(), g.nextGaussian(), g.nextGaussian())
    }

    static func gaussianArray(_ n: Int, _ g: inout SeededGenerator) -> [Double] {
        (0..<n).map { _ in g.nextGaussian() }
    }

    /// `A x` for an `n × n` row-major `A`.
    static func matVec(_ a: [Double], _ x: [Double]) -> [Double] {
        let n = x.count
        return (0..<n).map { i in (0..<n).reduce(0.0) { $0 + a[i * n + $1] * x[$1] } }
    }

    /// `A B` for `n × n` row-major matrices.
    static func matMul(_ a: [Double], _ b: [Double], _ n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for k in 0..<n { let aik = a[i * n + k]; for j in 0..<n { c[i * n + j] += aik * b[k * n + j] } } }
        return c
    }

    static func transpose(_ a: [Double], _ n: Int) -> [Double] {
        var t = a
        for i in 0..<n { for j in 0..<n { t[j * n + i] = a[i * n + j] } }
        return t
    }

    static func identity(_ n: Int) -> [Double] {
        var m = [Double](repeating: 0, count: n * n)
        for i in 0..<n { m[i * n + i] = 1 }
        return m
    }

    static func maxAbsDiff(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        return zip(a, b).reduce(0.0) { max($0, abs($1.0 - $1.1)) }
    }

    /// Degree-`l` slice of a flat SH vector.
    static func shBlock(_ y: [Double], _ l: Int) -> [Double] { Array(y[(l * l)..<((l + 1) * (l + 1))]) }

    /// Legendre polynomial `P_l(t)` (Bonnet recurrence).
    static func legendre(_ l: Int, _ t: Double) -> Double {
        if l == 0 { return 1 }
        var p0 = 1.0, p1 = t
        if l == 1 { return p1 }
        for k in 2...l { let p2 = (Double(2 * k - 1) * t * p1 - Double(k - 1) * p0) / Double(k); p0 = p1; p1 = p2 }
        return p1
    }
}
