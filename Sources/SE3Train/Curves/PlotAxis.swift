import Foundation

/// One axis of a plot: its range, linear or logarithmic, and its labelled ticks.
struct PlotAxis: Equatable {
    var lo: Double
    var hi: Double
    var log: Bool
    /// The tick spacing of a linear axis (`lo` and `hi` are multiples of it).
    var step = 1.0

    /// An axis that holds `values`: logarithmic when `allowLog`, every value is positive and
    /// they span at least a factor 20, else linear between multiples of a "nice" step (about six ticks).
    static func fitting(_ values: [Double], allowLog: Bool, includeZero: Bool = false) -> PlotAxis {
        let finite = values.filter(\.isFinite)
        guard var mn = finite.min(), var mx = finite.max() else { return PlotAxis(lo: 0, hi: 1, log: false) }
        if allowLog, mn > 0, mx / mn >= 20 {
            return PlotAxis(lo: Foundation.pow(10, Foundation.floor(Foundation.log10(mn))),
                            hi: Foundation.pow(10, Foundation.ceil(Foundation.log10(mx))), log: true)
        }
        if includeZero { mn = min(mn, 0); mx = max(mx, 0) }
        if mn == mx {
            let pad = mn == 0 ? 1 : Swift.abs(mn) * 0.1
            mn -= pad; mx += pad
        }
        let step = niceStep((mx - mn) / 6)
        return PlotAxis(lo: Foundation.floor(mn / step) * step, hi: Foundation.ceil(mx / step) * step, log: false, step: step)
    }

    /// 1, 2 or 5 × 10^k, the first at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let p = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
        for m in [1.0, 2, 5, 10] where m * p >= raw * (1 - 1e-12) { return m * p }
        return 10 * p
    }

    /// Where `v` falls, 0 at `lo` and 1 at `hi` (nil for a non-positive value on a log axis).
    func fraction(_ v: Double) -> Double? {
        if log {
            guard v > 0 else { return nil }
            return (Foundation.log10(v) - Foundation.log10(lo)) / (Foundation.log10(hi) - Foundation.log10(lo))
        }
        return (v - lo) / (hi - lo)
    }

    /// Tick values with their labels: decades on a log axis (with 2 and 5 when it spans one or
    /// two decades), multiples of the nice step on a linear one.
    var ticks: [(value: Double, label: String)] {
        var values: [Double] = []
        if log {
            let a = Int(Foundation.log10(lo).rounded()), b = Int(Foundation.log10(hi).rounded())
            for k in a...b {
                let d = Foundation.pow(10, Double(k))
                values.append(d)
                if b - a <= 2 && k < b { values += [2 * d, 5 * d] }
            }
        } else {
            var v = lo
            while v <= hi + step * 1e-9 {
                values.append(Swift.abs(v) < step * 1e-9 ? 0 : v)
                v += step
            }
        }
        return values.map { ($0, PlotAxis.label($0)) }
    }

    static func label(_ v: Double) -> String { String(format: "%g", v) }
}
