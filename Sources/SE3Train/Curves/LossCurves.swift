import Foundation

/// The training curves of one or more runs as an SVG figure (`curves.svg` in every run
/// directory, rewritten at each epoch end; `se3 plot RUN…` for several runs side by side).
///
/// One panel per quantity, all against the optimiser step: the loss (training loss per logged
/// step and its epoch mean, validation loss per epoch; standardised units), the validation MAE of
/// each target in its units (with the MAE of predicting the training mean as a dashed line, and
/// the test MAE of the best checkpoint as a square when the run has one), and the learning rate. The y axes are logarithmic when the values span a factor 20 or more. With
/// one run, colours tell training from validation; with several, each run has its own colour
/// and the legend names it.
public enum LossCurves {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
                          "#7f7f7f", "#bcbd22"]

    /// The figure for `runs` as SVG text.
    public static func svg(_ runs: [RunMetrics]) -> String {
        let single = runs.count == 1
        func color(_ run: Int, _ series: String) -> String {
            if !single { return palette[run % palette.count] }
            switch series {
            case "train": return palette[0]
            case "validation": return palette[4]
            case "test": return palette[1]
            default: return palette[2]
            }
        }
        func label(_ run: RunMetrics, _ series: String) -> String { single ? series : "\(run.name) \(series)" }

        var loss = CurvePanel(key: "loss", title: "Loss", yLabel: "loss (standardised units)", series: [])
        for (i, r) in runs.enumerated() {
            loss.series.append(CurveSeries(label: label(r, "train (per step)"), color: color(i, "train"), points: r.trainLoss,
                                           width: 1, opacity: 0.35))
            loss.series.append(CurveSeries(label: label(r, "train (epoch mean)"), color: color(i, "train"),
                                           points: r.epochTrainLoss, marker: .circle, width: 2, dash: single ? nil : "2 3"))
            loss.series.append(CurveSeries(label: label(r, "validation"), color: color(i, "validation"),
                                           points: r.validationLoss, marker: .circle, width: 2))
        }
        var panels = [loss]
        var targets: [String] = []
        for r in runs { for t in r.targets where !targets.contains(t) { targets.append(t) } }
        for t in targets {
            let units = runs.lazy.compactMap { $0.units[t] }.first ?? ""
            var p = CurvePanel(key: "mae-\(t)", title: "Validation MAE: \(t)",
                               yLabel: "\(t) MAE" + (units.isEmpty ? "" : " (\(units))"), series: [])
            for (i, r) in runs.enumerated() {
                p.series.append(CurveSeries(label: label(r, "validation"), color: color(i, "validation"),
                                            points: r.validationMAE[t] ?? [], marker: .circle, width: 2))
                if let b = r.baselineMAE[t], let first = r.validationMAE[t]?.first, let last = r.validationMAE[t]?.last {
                    p.series.append(CurveSeries(label: label(r, "mean predictor"), color: single ? "#7f7f7f" : color(i, ""),
                                                points: [.init(step: min(first.step, 0), value: b), .init(step: last.step, value: b)],
                                                width: 1, dash: "6 4"))
                }
                if let test = r.testMAE[t] {
                    p.series.append(CurveSeries(label: label(r, "test (best checkpoint)"), color: color(i, "test"),
                                                points: [test], line: false, marker: .square))
                }
            }
            panels.append(p)
        }
        var lr = CurvePanel(key: "lr", title: "Learning rate", yLabel: "learning rate", series: [])
        for (i, r) in runs.enumerated() {
            lr.series.append(CurveSeries(label: single ? "learning rate" : r.name, color: color(i, "lr"), points: r.learningRate))
        }
        panels.append(lr)
        let title = "se3 training curves: " + runs.map(\.name).joined(separator: ", ")
        return SVGFigure(title: title, panels: panels).render()
    }

    /// Draws the runs (run directories or metrics files) into `path`, atomically.
    public static func write(runs paths: [String], to path: String) throws {
        let runs = try paths.map(RunMetrics.read)
        try AtomicFile.write(Data(svg(runs).utf8), to: path)
    }
}

extension RunDirectory {
    /// `<run>/curves.svg`, the figure of `LossCurves` for this run.
    public var curvesPath: String { (path as NSString).appendingPathComponent("curves.svg") }
}
