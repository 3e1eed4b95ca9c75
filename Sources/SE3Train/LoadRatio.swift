import SE3Data

/// How unevenly a step's work is spread over the ranks: per step, the largest rank load over
/// the mean rank load (1 = perfectly even; the slowest rank sets the step's pace), summarised
/// over steps. `se3 bench` reports it for atoms and for directed edges.
public struct LoadRatio: Equatable, Sendable {
    /// Mean over steps of `max_r load / mean_r load`.
    public var mean: Double
    /// The largest per-step ratio.
    public var max: Double

    /// `perRank[r][s]`: rank `r`'s load in step `s` (every rank the same number of steps).
    public init(perRank: [[Double]]) {
        let steps = perRank.map(\.count).min() ?? 0
        let ratios = (0..<steps).map { s in BalancedPartition.maxOverMean(perRank.map { $0[s] }) }
        mean = ratios.isEmpty ? 1 : ratios.reduce(0, +) / Double(ratios.count)
        max = ratios.max() ?? 1
    }
}
