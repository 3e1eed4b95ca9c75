import Numerics

/// Element-wise activations on buffers. For `Float` the exponential is Cephes' `expf` in plain
/// arithmetic (`x = n·ln2 + r`, `|r| ≤ ln2/2`, a degree-6 polynomial, `2ⁿ` from the exponent
/// bits; relative error below 2e-7 on `[−87, 88]`, clamped outside), which the compiler
/// vectorises; `Double` uses the library `exp` (exact to round-off, for gradient checks).
public enum VectorMath {
    /// `y = k · x · σ(x)`, `σ(x) = 1 / (1 + e^{−x})`.
    @inlinable
    public static func silu<T: TensorScalar>(_ x: UnsafePointer<T>, count: Int, scale k: T, into y: UnsafeMutablePointer<T>) {
        if T.self == Float.self {
            x.withMemoryRebound(to: Float.self, capacity: count) { xf in
                y.withMemoryRebound(to: Float.self, capacity: count) { yf in
                    floatSilu(xf, count: count, scale: Float(k), into: yf)
                }
            }
            return
        }
        for i in 0..<count { let z = x[i]; y[i] = k * z / (1 + T.exp(-z)) }
    }

    /// `g *= k · σ(x) · (1 + x (1 − σ(x)))` (the derivative of `k · silu`).
    @inlinable
    public static func siluGradient<T: TensorScalar>(_ x: UnsafePointer<T>, count: Int, scale k: T,
                                                     multiplying g: UnsafeMutablePointer<T>) {
        if T.self == Float.self {
            x.withMemoryRebound(to: Float.self, capacity: count) { xf in
                g.withMemoryRebound(to: Float.self, capacity: count) { gf in
                    floatSiluGradient(xf, count: count, scale: Float(k), multiplying: gf)
                }
            }
            return
        }
        for i in 0..<count {
            let z = x[i], s = 1 / (1 + T.exp(-z))
            g[i] *= k * s * (1 + z * (1 - s))
        }
    }

    /// `e^x` (clamped to `[−87.3, 88.3]`) in plain scalar operations without library calls, so
    /// that loops over it vectorise.
    @inlinable @inline(__always)
    public static func exp(_ v: Float) -> Float {
        let x = Swift.min(Swift.max(v, -87.3), 88.3)
        // round(x·log2 e) by the 1.5·2²³ trick; its low mantissa bits hold the integer
        let shifted = x * 1.44269504088896341 + 12582912.0
        let n = shifted - 12582912.0
        var r = x - n * 0.693359375
        r = r + n * 2.12194440e-4
        let r2 = r * r
        var p: Float = 1.9875691500e-4
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        p = p * r2 + r + 1
        let k = Int32(bitPattern: shifted.bitPattern) &- Int32(bitPattern: Float(12582912.0).bitPattern)
        return p * Float(bitPattern: UInt32(bitPattern: (k &+ 127) &<< 23))
    }

    @usableFromInline
    static func floatSilu(_ x: UnsafePointer<Float>, count: Int, scale k: Float, into y: UnsafeMutablePointer<Float>) {
        if UnsafePointer(y) == x {           // in place: one pointer, so the loop vectorises without alias checks
            for i in 0..<count { let z = y[i]; y[i] = k * z / (1 + exp(-z)) }
            return
        }
        for i in 0..<count { let z = x[i]; y[i] = k * z / (1 + exp(-z)) }
    }

    @usableFromInline
    static func floatSiluGradient(_ x: UnsafePointer<Float>, count: Int, scale k: Float, multiplying g: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            let z = x[i], s = 1 / (1 + exp(-z))
            g[i] *= k * s * (1 + z * (1 - s))
        }
    }
}
