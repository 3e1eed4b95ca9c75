/// Minimal arbitrary-precision unsigned integer (little-endian 32-bit limbs), used only to
/// evaluate Clebsch–Gordan coefficients exactly. Internal.
struct ExactUInt: Comparable {
    var limbs: [UInt32]

    init(_ v: UInt64 = 0) {
        limbs = []
        var x = v
        while x != 0 { limbs.append(UInt32(truncatingIfNeeded: x)); x >>= 32 }
    }

    var isZero: Bool { limbs.isEmpty }

    mutating func normalize() { while let l = limbs.last, l == 0 { limbs.removeLast() } }

    /// `self *= k`.
    mutating func multiply(by k: UInt32) {
        if k == 0 { limbs = []; return }
        var carry: UInt64 = 0
        for i in 0..<limbs.count {
            let t = UInt64(limbs[i]) * UInt64(k) + carry
            limbs[i] = UInt32(truncatingIfNeeded: t)
            carry = t >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
    }

    /// `self *= p^e` (p small prime, e ≥ 0), multiplying in chunks below 2³².
    mutating func multiply(byPower p: Int, _ e: Int) {
        var chunk: UInt64 = 1
        for _ in 0..<e {
            if chunk * UInt64(p) > UInt64(UInt32.max) { multiply(by: UInt32(chunk)); chunk = 1 }
            chunk *= UInt64(p)
        }
        if chunk != 1 { multiply(by: UInt32(chunk)) }
    }

    static func * (a: ExactUInt, b: ExactUInt) -> ExactUInt {
        if a.isZero || b.isZero { return ExactUInt() }
        var r = [UInt32](repeating: 0, count: a.limbs.count + b.limbs.count)
        for i in 0..<a.limbs.count {
            var carry: UInt64 = 0
            let ai = UInt64(a.limbs[i])
            for j in 0..<b.limbs.count {
                let t = ai * UInt64(b.limbs[j]) + UInt64(r[i + j]) + carry
                r[i + j] = UInt32(truncatingIfNeeded: t)
                carry = t >> 32
            }
            var k = i + b.limbs.count
            while carry != 0 {
                let t = UInt64(r[k]) + carry
                r[k] = UInt32(truncatingIfNeeded: t)
                carry = t >> 32
                k += 1
            }
        }
        var out = ExactUInt(); out.limbs = r; out.normalize()
        return out
    }

    static func + (a: ExactUInt, b: ExactUInt) -> ExactUInt {
        let n = max(a.limbs.count, b.limbs.count)
        var r = [UInt32](); r.reserveCapacity(n + 1)
        var carry: UInt64 = 0
        for i in 0..<n {
            let t = UInt64(i < a.limbs.count ? a.limbs[i] : 0) + UInt64(i < b.limbs.count ? b.limbs[i] : 0) + carry
            r.append(UInt32(truncatingIfNeeded: t))
            carry = t >> 32
        }
        if carry != 0 { r.append(UInt32(carry)) }
        var out = ExactUInt(); out.limbs = r; out.normalize()
        return out
    }

    /// `a − b`, requires `a ≥ b`.
    static func - (a: ExactUInt, b: ExactUInt) -> ExactUInt {
        var r = a.limbs
        var borrow: Int64 = 0
        for i in 0..<r.count {
            var t = Int64(r[i]) - borrow - Int64(i < b.limbs.count ? b.limbs[i] : 0)
            if t < 0 { t += 1 << 32; borrow = 1 } else { borrow = 0 }
            r[i] = UInt32(t)
        }
        var out = ExactUInt(); out.limbs = r; out.normalize()
        return out
    }

    static func < (a: ExactUInt, b: ExactUInt) -> Bool {
        if a.limbs.count != b.limbs.count { return a.limbs.count < b.limbs.count }
        var i = a.limbs.count - 1
        while i >= 0 {
            if a.limbs[i] != b.limbs[i] { return a.limbs[i] < b.limbs[i] }
            i -= 1
        }
        return false
    }

    /// `(m, e)` with `self ≈ m · 2^e`, `m` the top 64 bits rounded to Double (rel. error < 2⁻⁵²).
    var doubleParts: (Double, Int) {
        if limbs.isEmpty { return (0, 0) }
        let n = limbs.count
        if n <= 2 {
            var v: UInt64 = 0
            for i in stride(from: n - 1, through: 0, by: -1) { v = (v << 32) | UInt64(limbs[i]) }
            return (Double(v), 0)
        }
        // top three limbs → 96 bits, shift to the top 64
        let hi = UInt64(limbs[n - 1]), mid = UInt64(limbs[n - 2]), lo = UInt64(limbs[n - 3])
        let lz = hi.leadingZeroBitCount - 32      // leading zeros within the top 32-bit limb
        var top = (hi << 32 | mid) << UInt64(lz)
        top |= (lo << UInt64(lz)) >> 32
        return (Double(top), (n - 2) * 32 - lz)
    }
}
