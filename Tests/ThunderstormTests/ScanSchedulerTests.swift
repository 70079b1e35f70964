import Thunderstorm
import XCTest

/// The slot pool behind /api/check and the async queue: who waits, who is refused, who gets a
/// freed slot first.
final class ScanSchedulerTests: XCTestCase {
    func testAWaitingCheckGetsTheFreedSlotAndTheNextIsRefused() {
        let scheduler = ScanScheduler(slots: 1, syncOnly: 0, syncWaitLimit: 1)
        let answers = OrderLog()
        // A free slot and a full wait list are answered in place, before acquireSync returns.
        scheduler.acquireSync { answers.append("\($0)") }
        XCTAssertEqual(answers.entries, ["immediate"])
        scheduler.acquireSync { answers.append("\($0)") }
        XCTAssertEqual(answers.entries, ["immediate"])
        XCTAssertEqual(scheduler.waitingSync, 1)
        // The wait list (1) is full.
        scheduler.acquireSync { answers.append("\($0)") }
        XCTAssertEqual(answers.entries, ["immediate", "refused"])
        // The release hands its slot to the waiter and calls it back.
        scheduler.release(.sync)
        XCTAssertEqual(answers.entries, ["immediate", "refused", "afterWait"])
        XCTAssertEqual(scheduler.busySlots, 1)
        XCTAssertEqual(scheduler.waitingSync, 0)
        scheduler.release(.sync)
        XCTAssertEqual(scheduler.busySlots, 0)
    }

    func testAWaitingCheckGoesBeforeAWaitingAsyncSample() async {
        let scheduler = ScanScheduler(slots: 1, syncOnly: 0, syncWaitLimit: 4)
        await scheduler.acquireAsync()
        let order = OrderLog()
        let asyncWaiter = Task { await scheduler.acquireAsync(); order.append("async") }
        try? await Task.sleep(nanoseconds: 50_000_000)
        scheduler.acquireSync { _ in order.append("sync") }
        XCTAssertEqual(scheduler.waitingSync, 1)
        scheduler.release(.async)
        XCTAssertEqual(order.entries, ["sync"])
        scheduler.release(.sync)
        await asyncWaiter.value
        XCTAssertEqual(order.entries, ["sync", "async"])
        XCTAssertEqual(scheduler.busySlots, 1)
    }

    func testNoWaitListMeansImmediateRefusal() {
        let scheduler = ScanScheduler(slots: 2, syncOnly: 0, syncWaitLimit: 0)
        let answers = OrderLog()
        for _ in 0..<3 { scheduler.acquireSync { answers.append("\($0)") } }
        XCTAssertEqual(answers.entries, ["immediate", "immediate", "refused"])
        XCTAssertEqual(scheduler.busySlots, 2)
    }
}

/// What callbacks reported, in order (they may come from any thread).
final class OrderLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ item: String) { lock.lock(); items.append(item); lock.unlock() }
    var entries: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
