/// One panel of a figure: one quantity against the step, with its axis labels.
struct CurvePanel {
    /// A stable name for the panel (`id="panel-<key>"` in the SVG).
    var key: String
    var title: String
    var yLabel: String
    var xLabel = "step"
    /// Logarithmic y when the values span a factor 20 or more (and are positive).
    var allowLog = true
    var series: [CurveSeries]
}
