import SE3Core

/// Splits items with loads into `parts` groups of similar total load: the LPT rule
/// (longest processing time first), as fairchem's `balanced_partition`. Items are taken by
/// decreasing load (ties: lower item index first); each goes to the group with the smallest
/// total load so far (ties: fewer items, then the lower group). Deterministic, no randomness.
///
/// The largest total is at most `4/3 − 1/(3·parts)` times the optimum (Graham 1969), and at
/// most the mean plus the largest single load. With at least `parts` items, every group gets
/// at least one item (an empty group has the smallest total and the fewest items).
public enum BalancedPartition {
    /// The item indices of each group, each in increasing order.
    public static func split(_ loads: [Int], parts: Int) -> [[Int]] {
        require(parts >= 1, "BalancedPartition.split: parts must be >= 1, got \(parts)")
        let order = loads.indices.sorted { loads[$0] != loads[$1] ? loads[$0] > loads[$1] : $0 < $1 }
        var totals = [Int](repeating: 0, count: parts)
        var groups = [[Int]](repeating: [], count: parts)
        for i in order {
            var best = 0
            for g in 1..<parts where (totals[g], groups[g].count) < (totals[best], groups[best].count) { best = g }
            totals[best] += loads[i]
            groups[best].append(i)
        }
        return groups.map { $0.sorted() }
    }

    /// The largest load over the mean load (1 for equal loads or no load at all).
    public static func maxOverMean(_ loads: [Double]) -> Double {
        guard let hi = loads.max(), !loads.isEmpty else { return 1 }
        let mean = loads.reduce(0, +) / Double(loads.count)
        return mean > 0 ? hi / mean : 1
    }
}
