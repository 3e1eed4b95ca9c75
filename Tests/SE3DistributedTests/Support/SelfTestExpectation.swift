import Foundation

/// The closed forms of `se3 mpi-selftest`'s checksums (see `DistributedSelfTest`),
/// recomputed here independently of the library, and a parser for its JSON lines.
struct SelfTestExpectation {
    let floatSum: Double
    let doubleSum: Double
    let doubleMax: Double
    let gathered: Int
    let broadcast: String

    /// rank r, size s, i ∈ 0..<n: Σ_i s(s+1)/2·(i mod 13 + 1), Σ_i (s(s−1)/8 + s·i), Σ_i (1000+i), s(s+1)/2.
    init(count n: Int, size s: Int) {
        floatSum = (0 ..< n).reduce(0.0) { $0 + Double(s * (s + 1) / 2 * ($1 % 13 + 1)) }
        doubleSum = (0 ..< n).reduce(0.0) { $0 + Double(s * (s - 1)) / 8 + Double(s * $1) }
        doubleMax = (0 ..< n).reduce(0.0) { $0 + Double(1000 + $1) }
        gathered = s * (s + 1) / 2
        broadcast = "se3 mpi-selftest size=\(s) ✓"
    }

    /// The JSON objects among `stdout`'s lines (mpirun may interleave other output).
    static func reports(in stdout: String) -> [[String: Any]] {
        stdout.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("{"), let data = trimmed.data(using: .utf8) else { return nil }
            return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        }
    }
}
