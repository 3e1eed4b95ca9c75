import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SE3TestSupport
import XCTest

/// `se3 train` leaves `curves.svg` and ends with the test split; `se3 plot` draws several runs.
final class PlotCLITests: XCTestCase {
    var scratch: URL!

    override func setUp() { scratch = RunFiles.scratch("plot") }
    override func tearDown() { try? FileManager.default.removeItem(at: scratch) }

    /// Two short runs (2 and 1 epochs): each ends by evaluating its best checkpoint on the test
    /// split (printed next to the validation figure, in the done line and in metrics.jsonl) and
    /// holds a curves.svg; `se3 plot` puts both in one figure labelled by run name.
    func testTrainingCurvesTestSplitAndPlot() throws {
        let a = scratch.appendingPathComponent("lr-0.01"), b = scratch.appendingPathComponent("lr-0.003")
        let tiny = ["model.lmax=1", "model.channels=4", "model.layers=1", "model.radial_hidden=8", "model.radial_count=6",
                    "data.batch_size=32", "training.warmup_steps=5", "training.log_every=5"].flatMap { ["--set", $0] }
        let ra = try TestEnvironment.runPlain(["train", "--config", RunFiles.bundledConfig, "--run-dir", a.path,
                                               "--set", "training.epochs=2"] + tiny, timeout: 300)
        XCTAssertEqual(ra.status, 0, ra.summary)
        let done = try XCTUnwrap(RunFiles.doneLines(ra.stdout)[0], ra.summary)
        let test = try XCTUnwrap((done["test"] as? [String: Any])?["homo"] as? [String: Any], ra.summary)
        let testMAE = try XCTUnwrap(test["mae"] as? Double)
        XCTAssertGreaterThan(testMAE, 0)
        XCTAssertEqual(test["count"] as? Int, 200, "the whole test split")
        XCTAssertTrue((done["test_checkpoint"] as? String)?.hasSuffix("checkpoints/best.h5") ?? false, ra.summary)
        XCTAssertTrue(ra.stdout.contains("best checkpoint \(a.path)/checkpoints/best.h5 (step "), ra.summary)
        XCTAssertTrue(ra.stdout.contains(String(format: "test %.4g eV", testMAE)), ra.summary)
        let records = try RunFiles.metrics(a).filter { $0["type"] as? String == "test" }
        XCTAssertEqual(records.count, 1)
        XCTAssertNotNil((records.first?["val"] as? [String: Any])?["homo"], "the best checkpoint's validation figure")

        let curves = try SVGPanels(a.appendingPathComponent("curves.svg"))
        XCTAssertEqual(curves.panels, ["panel-loss", "panel-mae-homo", "panel-lr"])
        XCTAssertTrue(curves.texts.contains("homo MAE (eV)"), "\(curves.texts)")
        XCTAssertTrue(curves.texts.contains("test (best checkpoint)"), "\(curves.texts)")

        let rb = try TestEnvironment.runPlain(["train", "--config", RunFiles.bundledConfig, "--run-dir", b.path, "--quiet",
                                               "--set", "training.epochs=1", "--set", "training.lr=0.003"] + tiny, timeout: 300)
        XCTAssertEqual(rb.status, 0, rb.summary)
        let figure = scratch.appendingPathComponent("compare.svg")
        let p = try TestEnvironment.runPlain(["plot", a.path, b.path, "--output", figure.path])
        XCTAssertEqual(p.status, 0, p.summary)
        let both = try SVGPanels(figure)
        XCTAssertEqual(both.panels, ["panel-loss", "panel-mae-homo", "panel-lr"])
        for label in ["lr-0.01 validation", "lr-0.003 validation", "lr-0.01 train (per step)"] {
            XCTAssertTrue(both.texts.contains(label), "\(label): \(both.texts)")
        }
        let one = try TestEnvironment.runPlain(["plot", b.path])
        XCTAssertEqual(one.status, 0, one.summary)
        XCTAssertTrue(one.stdout.contains("\(b.path)/curves.svg"), one.summary)

        if let rsvg = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            let png = scratch.appendingPathComponent("compare.png")
            let r = try ProcessRunner.run(URL(fileURLWithPath: rsvg), [figure.path, "-o", png.path],
                                          environment: TestEnvironment.childEnvironment(), timeout: 60)
            XCTAssertEqual(r.status, 0, r.summary)
            XCTAssertEqual(try Data(contentsOf: png).prefix(4), Data([0x89, 0x50, 0x4E, 0x47]), "a PNG")
        }

        let missing = try TestEnvironment.runPlain(["plot", scratch.appendingPathComponent("nothing").path])
        XCTAssertEqual(missing.status, 1, missing.summary)
        XCTAssertTrue(missing.stderr.contains("nothing: run directory: no such file or directory"), missing.summary)
        let empty = scratch.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let notRun = try TestEnvironment.runPlain(["plot", empty.path])
        XCTAssertEqual(notRun.status, 1, notRun.summary)
        XCTAssertTrue(notRun.stderr.contains("empty/metrics.jsonl: metrics.jsonl: no such file"), notRun.summary)
    }
}

/// Panel ids and text of an SVG file, read with Foundation's XML parser (which fails on
/// anything that is not well-formed XML).
final class SVGPanels: NSObject, XMLParserDelegate {
    var panels: [String] = []
    var texts: [String] = []
    private var text = ""

    init(_ url: URL) throws {
        super.init()
        let parser = XMLParser(data: try Data(contentsOf: url))
        parser.delegate = self
        guard parser.parse() else {
            throw NSError(domain: "SVG", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(url.path) is not XML: \(String(describing: parser.parserError))"])
        }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if name == "g", attributes["class"] == "panel", let id = attributes["id"] { panels.append(id) }
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append(text) }
        text = ""
    }
}
