import XCTest
import SE3Train

/// `checkpoint.every_steps` / `every_minutes`: counted from the last checkpoint, whichever first.
final class CheckpointCadenceTests: XCTestCase {
    func testStepsOrMinutesWhicheverComesFirst() {
        var c = CheckpointCadence(config: CheckpointConfig(everySteps: 100, everyMinutes: 2), step: 40, now: 1000)
        XCTAssertFalse(c.isDue(step: 139, timeIsUp: false))
        XCTAssertTrue(c.isDue(step: 140, timeIsUp: false), "100 steps after the start (or resume) at step 40")
        XCTAssertFalse(c.timeIsUp(now: 1119))
        XCTAssertTrue(c.timeIsUp(now: 1120))
        XCTAssertTrue(c.isDue(step: 90, timeIsUp: true), "another rank's clock is enough")
        c.reset(step: 90, now: 1120)
        XCTAssertFalse(c.isDue(step: 140, timeIsUp: false), "counted again from the last checkpoint")
        XCTAssertTrue(c.isDue(step: 190, timeIsUp: false))
        XCTAssertFalse(c.timeIsUp(now: 1239))
        XCTAssertTrue(c.timeIsUp(now: 1240))
    }

    func testUnsetMeansNever() {
        let c = CheckpointCadence(config: CheckpointConfig(), step: 0, now: 0)
        XCTAssertFalse(c.isDue(step: 1_000_000, timeIsUp: false))
        XCTAssertFalse(c.timeIsUp(now: 1e9))
    }
}
