/// One non-zero real Clebsch–Gordan coefficient: `C^{(l3, i3−l3)}_{(l1, i1−l1)(l2, i2−l2)} = value`.
/// Indices are `i = m + l ∈ 0...2l` (positions inside a `2l + 1` irrep block).
public struct CGEntry: Sendable, Hashable {
    public let i1: Int
    public let i2: Int
    public let i3: Int
    public let value: Double

    @inlinable public init(i1: Int, i2: Int, i3: Int, value: Double) {
        self.i1 = i1; self.i2 = i2; self.i3 = i3; self.value = value
    }
}

/// The real Clebsch–Gordan block `C^{(l3, m3)}_{(l1, m1)(l2, m2)}` for one path `l1 ⊗ l2 → l3`.
///
/// Dense storage `values[(m1 + l1)(2l2+1)(2l3+1) + (m2 + l2)(2l3+1) + (m3 + l3)]`;
/// `nonZero` lists the entries with `|C| > 0` in the same (m1, m2, m3) lexicographic order.
/// A block for a triple violating the triangle rule is all zeros (`nonZero` empty).
public struct CGBlock: Sendable {
    public let l1: Int
    public let l2: Int
    public let l3: Int
    /// Dense coefficients, `(2l1+1)(2l2+1)(2l3+1)` values, `[m1][m2][m3]` row-major.
    public let values: [Double]
    /// Non-zero coefficients only (kernels iterate over these).
    public let nonZero: [CGEntry]

    public init(l1: Int, l2: Int, l3: Int, values: [Double]) {
        self.l1 = l1; self.l2 = l2; self.l3 = l3
        self.values = values
        var nz: [CGEntry] = []
        let d2 = 2 * l2 + 1, d3 = 2 * l3 + 1
        for (k, v) in values.enumerated() where v != 0 {
            nz.append(CGEntry(i1: k / (d2 * d3), i2: (k / d3) % d2, i3: k % d3, value: v))
        }
        nonZero = nz
    }

    /// `(2l1+1, 2l2+1, 2l3+1)`.
    public var dims: (Int, Int, Int) { (2 * l1 + 1, 2 * l2 + 1, 2 * l3 + 1) }

    /// Whether every coefficient is zero (triangle rule violated).
    public var isZero: Bool { nonZero.isEmpty }

    /// Flat index of `(m1, m2, m3)` (each `m ∈ −l...l`).
    @inlinable public func index(m1: Int, m2: Int, m3: Int) -> Int {
        ((m1 + l1) * (2 * l2 + 1) + (m2 + l2)) * (2 * l3 + 1) + (m3 + l3)
    }

    /// `C^{(l3, m3)}_{(l1, m1)(l2, m2)}` (each `m ∈ −l...l`).
    @inlinable public subscript(m1: Int, m2: Int, m3: Int) -> Double { values[index(m1: m1, m2: m2, m3: m3)] }

    /// Applies the coupling: `z_{m3} = Σ_{m1, m2} C^{m3}_{m1 m2} x_{m1} y_{m2}` (seed eq. 2),
    /// `x.count = 2l1+1`, `y.count = 2l2+1`; returns `2l3+1` values.
    public func couple(_ x: [Double], _ y: [Double]) -> [Double] {
        var z = [Double](repeating: 0, count: 2 * l3 + 1)
        for e in nonZero { z[e.i3] += e.value * x[e.i1] * y[e.i2] }
        return z
    }
}
