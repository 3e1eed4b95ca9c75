import SE3Core
/// The deterministic random number generator used by the data pipeline (shuffling,
/// sampling): SplitMix64 (Steele, Lea & Flood 2014). SE3Data does not depend on SE3Math,
/// so it carries its own small generator; the sequence is fixed forever (no dependence
/// on the Swift standard library's shuffling algorithm), so epochs are reproducible
/// across compiler versions and platforms.
///
/// State update: `s ← s + 0x9E3779B97F4A7C15`; output: `z = s; z = (z ^ z>>30)·0xBF58476D1CE4E5B9;
/// z = (z ^ z>>27)·0x94D049BB133111EB; z ^ z>>31`.
public struct SamplerGenerator: RandomNumberGenerator, Equatable, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for a tuple of keys, e.g. `(seed, epoch, rank)`: keys are absorbed one by
    /// one with `s ← mix(s ^ key)` so different tuples give unrelated streams.
    public init(keys: [UInt64]) {
        var s: UInt64 = 0x5E3D_A7A0_0000_0001
        for k in keys { s = SamplerGenerator.mix(s ^ k) &+ 0x9E37_79B9_7F4A_7C15 }
        state = s
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SamplerGenerator.mix(state)
    }

    /// A uniform integer in `0 ..< n` (Lemire's multiply-high; `n > 0`).
    @inline(__always)
    public mutating func nextIndex(below n: Int) -> Int {
        require(n > 0, "SamplerGenerator.nextIndex(below:): bound must be > 0, got \(n)")
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// A uniform double in `[0, 1)` (53 random bits).
    @inline(__always)
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Fisher–Yates shuffle with this generator: for `i` from `count-1` down to 1,
    /// swap `a[i]` and `a[nextIndex(below: i+1)]`. Fixed algorithm, reproducible.
    public mutating func shuffle<T>(_ a: inout [T]) {
        if a.count < 2 { return }
        var i = a.count - 1
        while i > 0 {
            let j = nextIndex(below: i + 1)
            if i != j { a.swapAt(i, j) }
            i -= 1
        }
    }
}
