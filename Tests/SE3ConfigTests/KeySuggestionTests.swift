import SE3Config
import XCTest

final class KeySuggestionTests: XCTestCase {
    func testDistanceCountsEditsAndTranspositions() {
        XCTAssertEqual(KeySuggestion.distance("lrr", "lr"), 1)
        XCTAssertEqual(KeySuggestion.distance("chanels", "channels"), 1)
        XCTAssertEqual(KeySuggestion.distance("epcohs", "epochs"), 1)       // transposition
        XCTAssertEqual(KeySuggestion.distance("", "abc"), 3)
        XCTAssertEqual(KeySuggestion.distance("same", "same"), 0)
        XCTAssertEqual(KeySuggestion.distance("kitten", "sitting"), 3)
    }

    func testNearestKnownKey() {
        let training = ["epochs", "max_steps", "seed", "loss", "lr", "weight_decay", "warmup_steps", "min_lr"]
        XCTAssertEqual(KeySuggestion.nearest(to: "lrr", among: training), "lr")
        XCTAssertEqual(KeySuggestion.nearest(to: "epoch", among: training), "epochs")
        XCTAssertEqual(KeySuggestion.nearest(to: "warmup", among: training), "warmup_steps")
        XCTAssertNil(KeySuggestion.nearest(to: "colour", among: training))
        XCTAssertEqual(KeySuggestion.nearest(to: "chanels", among: ["lmax", "channels", "layers"]), "channels")
    }
}
