import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import SE3Train

/// `RunMetrics`, `PlotAxis` and the SVG of `LossCurves`: parsed as XML, one panel per quantity.
final class LossCurvesTests: XCTestCase {
    func records(lr: Double, maes: [Double]) -> [[String: Any]] {
        var out: [[String: Any]] = [["type": "resume", "step": 0, "epoch": 0]]
        for s in 1...40 {
            out.append(["type": "step", "step": s, "loss": 1.0 / Double(s), "lr": lr * Double(min(s, 10)) / 10])
        }
        out.append(["type": "skipped_step", "step": 41, "loss": "nan"])
        for (e, mae) in maes.enumerated() {
            out.append(["type": "epoch", "epoch": e + 1, "step": 10 * (e + 1), "train_loss": 0.5, "val_loss": e == 0 ? "nan" : mae,
                        "val": ["homo": ["mae": mae, "baseline_mae": 0.6, "units": "eV"],
                                "dipole & co": ["mae": 2 * mae, "units": "e*Å"]]])
        }
        out.append(["type": "test", "step": 30, "test": ["homo": ["mae": 0.2, "units": "eV"]]])
        return out
    }

    func testMetricsAreReadAndNonFiniteValuesLeftOut() {
        let m = RunMetrics(name: "a", records: records(lr: 0.01, maes: [0.5, 0.3, 0.25]))
        XCTAssertEqual(m.trainLoss.count, 40)
        XCTAssertEqual(m.learningRate.last?.value, 0.01)
        XCTAssertEqual(m.validationLoss.map(\.step), [20, 30], "the \"nan\" of epoch 1 is left out")
        XCTAssertEqual(m.epochTrainLoss.count, 3)
        XCTAssertEqual(m.targets, ["dipole & co", "homo"])
        XCTAssertEqual(m.units["homo"], "eV")
        XCTAssertEqual(m.validationMAE["homo"]?.map(\.value), [0.5, 0.3, 0.25])
        XCTAssertEqual(m.baselineMAE["homo"], 0.6)
        XCTAssertEqual(m.testMAE["homo"], RunMetrics.Point(step: 30, value: 0.2))
    }

    func testAxes() {
        let lin = PlotAxis.fitting([0.23, 1.31], allowLog: true)
        XCTAssertFalse(lin.log, "a factor 6 stays linear")
        XCTAssertLessThanOrEqual(lin.lo, 0.23)
        XCTAssertGreaterThanOrEqual(lin.hi, 1.31)
        XCTAssertEqual(lin.ticks.map(\.label), ["0.2", "0.4", "0.6", "0.8", "1", "1.2", "1.4"])
        XCTAssertEqual(PlotAxis.fitting([0, 3000], allowLog: false).ticks.map(\.label), ["0", "500", "1000", "1500", "2000", "2500", "3000"])
        let log = PlotAxis.fitting([1e-4, 0.01], allowLog: true)
        XCTAssertTrue(log.log)
        XCTAssertEqual(log.lo, 1e-4, accuracy: 1e-18)
        XCTAssertEqual(log.hi, 0.01, accuracy: 1e-15)
        XCTAssertEqual(log.ticks.map(\.label), ["0.0001", "0.0002", "0.0005", "0.001", "0.002", "0.005", "0.01"])
        XCTAssertEqual(log.fraction(1e-3)!, 0.5, accuracy: 1e-12)
        XCTAssertNil(log.fraction(0))
        XCTAssertFalse(PlotAxis.fitting([-1, 100], allowLog: true).log, "not every value is positive")
        let flat = PlotAxis.fitting([3, 3], allowLog: true)
        XCTAssertLessThan(flat.lo, 3)
        XCTAssertGreaterThan(flat.hi, 3)
    }

    func testSVGHasOnePanelPerQuantityAndParses() throws {
        let a = RunMetrics(name: "run-a", records: records(lr: 0.01, maes: [0.5, 0.3, 0.25]))
        let b = RunMetrics(name: "run<b>", records: records(lr: 0.001, maes: [0.6, 0.4]))
        let svg = LossCurves.svg([a, b])
        let doc = try SVGDocument(svg)
        XCTAssertEqual(doc.panels, ["panel-loss", "panel-mae-dipole & co", "panel-mae-homo", "panel-lr"])
        XCTAssertEqual(doc.panelTitles, ["Loss", "Validation MAE: dipole & co", "Validation MAE: homo", "Learning rate"])
        XCTAssertTrue(doc.texts.contains("run-a validation"), "\(doc.texts)")
        XCTAssertTrue(doc.texts.contains("run<b> validation"), "names are escaped and read back: \(doc.texts)")
        XCTAssertTrue(doc.texts.contains("homo MAE (eV)"), "\(doc.texts)")
        XCTAssertTrue(doc.texts.contains("learning rate (log scale)"), "\(doc.texts)")
        XCTAssertTrue(doc.texts.contains("run-a test (best checkpoint)"), "\(doc.texts)")
        XCTAssertGreaterThanOrEqual(doc.polylines, 2 * 4, "train, epoch mean, validation and lr lines per run")

        let single = try SVGDocument(LossCurves.svg([a]))
        XCTAssertTrue(single.texts.contains("validation") && single.texts.contains("train (per step)"), "\(single.texts)")
        XCTAssertTrue(single.texts.contains("mean predictor"), "\(single.texts)")
        let empty = try SVGDocument(LossCurves.svg([RunMetrics(name: "new", records: [])]))
        XCTAssertEqual(empty.panels, ["panel-loss", "panel-lr"])
        XCTAssertTrue(empty.texts.contains("no data yet"))
    }
}

/// The parts of an SVG document the tests look at, read with Foundation's XML parser.
final class SVGDocument: NSObject, XMLParserDelegate {
    var panels: [String] = []
    var panelTitles: [String] = []
    var texts: [String] = []
    var polylines = 0
    private var text = ""
    private var stack: [String] = []

    init(_ svg: String) throws {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        guard parser.parse() else {
            throw NSError(domain: "SVG", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber)"])
        }
        XCTAssertEqual(stack, [])
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if stack.isEmpty { XCTAssertEqual(name, "svg") }
        if name == "g", attributes["class"] == "panel", let id = attributes["id"] { panels.append(id) }
        if name == "polyline" { polylines += 1 }
        stack.append(name)
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append(text) }
        if name == "title", stack.count >= 2, stack[stack.count - 2] == "g" { panelTitles.append(text) }
        stack.removeLast()
        text = ""
    }
}
