import Thunderstorm
import XCTest

/// The slot pool behind /api/check and the async queue: who waits, who is refused, who gets a
/// freed slot first.
final class ScanSchedulerTests: XCTestCase {
    /// Polls until `condition` holds (a waiter has queued itself), at most 2 s.
    private func eventually(_ condition: () -> Bool) async {
        for _ in 0..<400 where !condition() { try? await Task.sleep(nanoseconds: 5_000_000) }
    }

    func testAWaitingCheckGetsTheFreedSlotAndTheNextIsRefused() async {
        let scheduler = ScanScheduler(slots: 1, syncOnly: 0, syncWaitLimit: 1)
        let first = await scheduler.acquireSync()
        XCTAssertEqual(first, .immediate)
        let waiter = Task { await scheduler.acquireSync() }
        await eventually { scheduler.waitingSync == 1 }
        XCTAssertEqual(scheduler.waitingSync, 1)
        // The wait list (1) is full.
        let refused = await scheduler.acquireSync()
        XCTAssertEqual(refused, .refused)
        scheduler.release(.sync)
        let handedOver = await waiter.value
        XCTAssertEqual(handedOver, .afterWait)
        // The slot went from the releaser to the waiter: still one busy, nobody waiting.
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
        let syncWaiter = Task { _ = await scheduler.acquireSync(); order.append("sync") }
        await eventually { scheduler.waitingSync == 1 }
        scheduler.release(.async)
        await syncWaiter.value
        XCTAssertEqual(order.entries, ["sync"])
        scheduler.release(.sync)
        await asyncWaiter.value
        XCTAssertEqual(order.entries, ["sync", "async"])
        XCTAssertEqual(scheduler.busySlots, 1)
    }

    func testNoWaitListMeansImmediateRefusal() async {
        let scheduler = ScanScheduler(slots: 2, syncOnly: 0, syncWaitLimit: 0)
        let a = await scheduler.acquireSync()
        let b = await scheduler.acquireSync()
        let c = await scheduler.acquireSync()
        XCTAssertEqual([a, b, c], [.immediate, .immediate, .refused])
        XCTAssertEqual(scheduler.busySlots, 2)
    }
}

private final class OrderLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ item: String) { lock.lock(); items.append(item); lock.unlock() }
    var entries: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
