/// One rank's result of ``DistributedSelfTest``, printed as one JSON line by `se3 mpi-selftest`.
///
/// Checksums are `Σ_i` of the reduced buffers (closed forms in ``DistributedSelfTest``):
/// `floatSum = Σ_i s(s+1)/2 · (i mod 13 + 1)`, `doubleSum = Σ_i (s(s−1)/8 + s·i)`,
/// `doubleMax = Σ_i (1000 + i)`, `gathered = s(s+1)/2` (total allgathered elements).
public struct DistributedSelfTestReport: Equatable {
    public var rank: Int
    public var size: Int
    /// Every check passed on every rank.
    public var ok: Bool
    /// Number of checks this rank ran.
    public var checks: Int
    public var count: Int
    public var floatSum: Double
    public var doubleSum: Double
    public var doubleMax: Double
    public var gathered: Int
    /// The string broadcast from rank 0.
    public var broadcast: String
    /// Names of this rank's failed checks.
    public var failures: [String]

    public init(rank: Int, size: Int, ok: Bool, checks: Int, count: Int, floatSum: Double, doubleSum: Double,
                doubleMax: Double, gathered: Int, broadcast: String, failures: [String]) {
        self.rank = rank
        self.size = size
        self.ok = ok
        self.checks = checks
        self.count = count
        self.floatSum = floatSum
        self.doubleSum = doubleSum
        self.doubleMax = doubleMax
        self.gathered = gathered
        self.broadcast = broadcast
        self.failures = failures
    }

    /// `{"rank":r,"size":s,"ok":true,"checks":…,"count":…,"floatSum":…,"doubleSum":…,
    /// "doubleMax":…,"gathered":…,"broadcast":"…","failures":[…]}` (keys in this order).
    public var jsonLine: String {
        let failureList = failures.map(Self.jsonString).joined(separator: ",")
        return "{\"rank\":\(rank),\"size\":\(size),\"ok\":\(ok),\"checks\":\(checks),\"count\":\(count),"
            + "\"floatSum\":\(Self.jsonNumber(floatSum)),\"doubleSum\":\(Self.jsonNumber(doubleSum)),"
            + "\"doubleMax\":\(Self.jsonNumber(doubleMax)),\"gathered\":\(gathered),"
            + "\"broadcast\":\(Self.jsonString(broadcast)),\"failures\":[\(failureList)]}"
    }

    static func jsonNumber(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        return "\(x)"
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
