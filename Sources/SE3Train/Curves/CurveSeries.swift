/// One labelled set of points in a `CurvePanel`: a line, markers, or both.
struct CurveSeries {
    enum Marker { case none, circle, square }

    var label: String
    var color: String
    var points: [RunMetrics.Point]
    var line = true
    var marker = Marker.none
    var width = 1.5
    var opacity = 1.0
    /// An SVG `stroke-dasharray`, e.g. "6 4" (nil: solid).
    var dash: String?
}
