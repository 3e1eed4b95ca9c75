import Foundation

/// Deterministic train/validation/test (or any k-way) splits.
///
/// With n structures and fractions f_0...f_{k-1} (≥ 0, summing to 1 within 1e-6),
/// part j has `round(f_j · n)` members for j < k−1 and the last part gets the rest.
/// A permutation of 0..<n is drawn by Fisher–Yates with unbiased bounded draws from the
/// given generator (so a `SeededGenerator(seed:)` gives the same split on every platform);
/// the first part takes the first `size_0` permuted indices, and so on. Parts are disjoint
/// and cover 0..<n.
public enum DatasetSplit {
    /// Parses `"0.8,0.1,0.1"`.
    public static func parseFractions(_ text: String, field: String = "--split") throws -> [Double] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var out: [Double] = []
        for p in parts {
            guard let v = Double(p), v.isFinite, v >= 0 else {
                throw DataError(file: "command line", field: field, "\"\(p)\" is not a non-negative number in \"\(text)\"")
            }
            out.append(v)
        }
        try check(out, field: field)
        return out
    }

    static func check(_ fractions: [Double], field: String) throws {
        guard !fractions.isEmpty, fractions.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw DataError(file: "command line", field: field, "fractions must be non-negative numbers")
        }
        let sum = fractions.reduce(0, +)
        guard abs(sum - 1) <= 1e-6 else {
            throw DataError(file: "command line", field: field, "fractions \(fractions) sum to \(sum), expected 1")
        }
    }

    /// Part sizes for `count` structures.
    public static func sizes(count: Int, fractions: [Double]) throws -> [Int] {
        try check(fractions, field: "split")
        var sizes: [Int] = []
        var used = 0
        for f in fractions.dropLast() {
            let s = min(count - used, Int((f * Double(count)).rounded()))
            sizes.append(s)
            used += s
        }
        sizes.append(count - used)
        return sizes
    }

    /// A uniformly random permutation of 0..<count (Fisher–Yates).
    public static func permutation<G: RandomNumberGenerator>(count: Int, using rng: inout G) -> [Int] {
        var p = Array(0..<count)
        var i = count - 1
        while i > 0 {
            let j = Int(boundedRandom(UInt64(i + 1), using: &rng))
            p.swapAt(i, j)
            i -= 1
        }
        return p
    }

    /// Uniform integer in 0..<bound (Lemire's multiply-and-reject).
    static func boundedRandom<G: RandomNumberGenerator>(_ bound: UInt64, using rng: inout G) -> UInt64 {
        var m = rng.next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let t = (0 &- bound) % bound
            while m.low < t { m = rng.next().multipliedFullWidth(by: bound) }
        }
        return m.high
    }

    /// The part (0, 1, ...) of each index 0..<count.
    public static func assign<G: RandomNumberGenerator>(count: Int, fractions: [Double], using rng: inout G) throws -> [UInt8] {
        let s = try sizes(count: count, fractions: fractions)
        guard s.count <= 255 else { throw DataError(file: "command line", field: "split", "at most 255 parts") }
        let perm = permutation(count: count, using: &rng)
        var part = [UInt8](repeating: 0, count: count)
        var pos = 0
        for (j, n) in s.enumerated() {
            for k in pos..<(pos + n) { part[perm[k]] = UInt8(j) }
            pos += n
        }
        return part
    }
}
