import Foundation

/// Draws `CurvePanel`s as one SVG document (plain text, no scripts or external resources):
/// two panels per row, each with a frame, grid lines, labelled ticks, axis labels, a title and a
/// legend; lines are clipped to the plot area. Every panel is `<g class="panel" id="panel-<key>">`
/// with a `<title>`, so tools and tests can find them.
struct SVGFigure {
    var title: String
    var panels: [CurvePanel]
    var columns = 2
    var panelWidth = 480.0
    var panelHeight = 320.0
    let margin = (left: 72.0, right: 16.0, top: 34.0, bottom: 48.0)
    let header = 36.0

    func render() -> String {
        let rows = max(1, (panels.count + columns - 1) / columns)
        let width = Double(columns) * panelWidth, height = header + Double(rows) * panelHeight
        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">
        <rect x="0" y="0" width="\(f(width))" height="\(f(height))" fill="white"/>
        <text x="\(f(width / 2))" y="24" text-anchor="middle" font-size="15" font-weight="bold">\(Self.escape(title))</text>

        """
        for (i, panel) in panels.enumerated() {
            let x = Double(i % columns) * panelWidth, y = header + Double(i / columns) * panelHeight
            out += draw(panel, index: i, x: x, y: y)
        }
        out += "</svg>\n"
        return out
    }

    private func draw(_ p: CurvePanel, index: Int, x: Double, y: Double) -> String {
        let pw = panelWidth - margin.left - margin.right, ph = panelHeight - margin.top - margin.bottom
        let xs = p.series.flatMap { $0.points.map(\.step) }, ys = p.series.flatMap { $0.points.map(\.value) }
        let xa = PlotAxis.fitting(xs + [0], allowLog: false)
        let ya = PlotAxis.fitting(ys, allowLog: p.allowLog)
        func px(_ v: Double) -> Double? { xa.fraction(v).map { margin.left + $0 * pw } }
        func py(_ v: Double) -> Double? { ya.fraction(v).map { margin.top + (1 - $0) * ph } }
        let clip = "clip-\(index)"
        var s = "<g class=\"panel\" id=\"panel-\(Self.escape(p.key))\" transform=\"translate(\(f(x)),\(f(y)))\">\n"
        s += "<title>\(Self.escape(p.title))</title>\n"
        s += "<clipPath id=\"\(clip)\"><rect x=\"\(f(margin.left))\" y=\"\(f(margin.top))\" width=\"\(f(pw))\" height=\"\(f(ph))\"/></clipPath>\n"
        s += "<text x=\"\(f(margin.left + pw / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">\(Self.escape(p.title))</text>\n"
        // grid and ticks
        for t in ya.ticks {
            guard let yy = py(t.value), yy >= margin.top - 0.5, yy <= margin.top + ph + 0.5 else { continue }
            s += "<line x1=\"\(f(margin.left))\" y1=\"\(f(yy))\" x2=\"\(f(margin.left + pw))\" y2=\"\(f(yy))\" stroke=\"#e0e0e0\"/>\n"
            s += "<text x=\"\(f(margin.left - 6))\" y=\"\(f(yy + 4))\" text-anchor=\"end\">\(Self.escape(t.label))</text>\n"
        }
        for t in xa.ticks {
            guard let xx = px(t.value), xx >= margin.left - 0.5, xx <= margin.left + pw + 0.5 else { continue }
            s += "<line x1=\"\(f(xx))\" y1=\"\(f(margin.top))\" x2=\"\(f(xx))\" y2=\"\(f(margin.top + ph))\" stroke=\"#e0e0e0\"/>\n"
            s += "<text x=\"\(f(xx))\" y=\"\(f(margin.top + ph + 16))\" text-anchor=\"middle\">\(Self.escape(t.label))</text>\n"
        }
        s += "<rect x=\"\(f(margin.left))\" y=\"\(f(margin.top))\" width=\"\(f(pw))\" height=\"\(f(ph))\" fill=\"none\" stroke=\"#333\"/>\n"
        s += "<text x=\"\(f(margin.left + pw / 2))\" y=\"\(f(panelHeight - 10))\" text-anchor=\"middle\">\(Self.escape(p.xLabel))</text>\n"
        let yl = p.yLabel + (ya.log ? " (log scale)" : "")
        s += "<text transform=\"translate(16,\(f(margin.top + ph / 2))) rotate(-90)\" text-anchor=\"middle\">\(Self.escape(yl))</text>\n"
        // data
        if p.series.allSatisfy({ $0.points.isEmpty }) {
            s += "<text x=\"\(f(margin.left + pw / 2))\" y=\"\(f(margin.top + ph / 2))\" text-anchor=\"middle\" fill=\"#888\">no data yet</text>\n"
        }
        // lines clipped to the plot area; markers (all inside the axis ranges) drawn whole on top
        var lines = "", markers = ""
        for series in p.series {
            let pts = series.points.compactMap { pt -> (Double, Double)? in
                guard let a = px(pt.step), let b = py(pt.value) else { return nil }
                return (a, b)
            }
            let style = "stroke=\"\(series.color)\" stroke-opacity=\"\(f(series.opacity))\""
                + (series.dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")
            if series.line, pts.count > 1 {
                lines += "<polyline fill=\"none\" \(style) stroke-width=\"\(f(series.width))\" stroke-linejoin=\"round\" points=\""
                    + pts.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ") + "\"/>\n"
            }
            for (a, b) in pts {
                switch series.marker {
                case .none: break
                case .circle: markers += "<circle cx=\"\(f(a))\" cy=\"\(f(b))\" r=\"3\" fill=\"\(series.color)\"/>\n"
                case .square: markers += "<rect x=\"\(f(a - 4))\" y=\"\(f(b - 4))\" width=\"8\" height=\"8\" fill=\"white\" \(style) stroke-width=\"2\"/>\n"
                }
            }
        }
        s += "<g clip-path=\"url(#\(clip))\">\n" + lines + "</g>\n" + markers
        // legend (top right, inside the plot)
        let shown = p.series.filter { !$0.points.isEmpty }
        if !shown.isEmpty {
            let w = 24 + 7 * Double(shown.map(\.label.count).max() ?? 0), h = 16 * Double(shown.count) + 6
            let lx = margin.left + pw - w - 6, ly = margin.top + 6
            s += "<g class=\"legend\"><rect x=\"\(f(lx))\" y=\"\(f(ly))\" width=\"\(f(w))\" height=\"\(f(h))\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#bbb\"/>\n"
            for (k, series) in shown.enumerated() {
                let yy = ly + 14 + 16 * Double(k)
                if series.marker == .square {
                    s += "<rect x=\"\(f(lx + 8))\" y=\"\(f(yy - 8))\" width=\"8\" height=\"8\" fill=\"white\" stroke=\"\(series.color)\" stroke-width=\"2\"/>\n"
                } else {
                    s += "<line x1=\"\(f(lx + 2))\" y1=\"\(f(yy - 4))\" x2=\"\(f(lx + 18))\" y2=\"\(f(yy - 4))\" stroke=\"\(series.color)\" stroke-opacity=\"\(f(series.opacity))\" stroke-width=\"2\""
                        + (series.dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>\n"
                    if series.marker == .circle { s += "<circle cx=\"\(f(lx + 10))\" cy=\"\(f(yy - 4))\" r=\"3\" fill=\"\(series.color)\"/>\n" }
                }
                s += "<text x=\"\(f(lx + 22))\" y=\"\(f(yy))\">\(Self.escape(series.label))</text>\n"
            }
            s += "</g>\n"
        }
        s += "</g>\n"
        return s
    }

    private func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }
}
