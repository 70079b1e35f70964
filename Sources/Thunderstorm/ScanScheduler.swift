/// The pool of scan slots shared by /api/check and the async queue.
///
/// Sync requests may take any free slot; async samples only while fewer than
/// `threads - syncOnlyThreads` of them are running, so --sync-only-threads slots stay free for
/// /api/check. A sync request finding no slot waits in a bounded FIFO; beyond it, it is refused (503).
public actor ScanScheduler {
    public enum Kind: Sendable { case sync, async }

    public enum SyncAcquisition: Sendable, Equatable {
        case immediate, afterWait, refused
    }

    public let slots: Int
    public let asyncLimit: Int
    public let syncWaitLimit: Int

    private var busy = 0
    private var busyAsync = 0
    private var syncWaiters: [CheckedContinuation<Void, Never>] = []
    private var asyncWaiters: [CheckedContinuation<Void, Never>] = []

    public init(slots: Int, syncOnly: Int, syncWaitLimit: Int) {
        self.slots = max(1, slots)
        self.asyncLimit = max(1, slots - max(0, syncOnly))
        self.syncWaitLimit = max(0, syncWaitLimit)
    }

    public var busySlots: Int { busy }
    public var waitingSync: Int { syncWaiters.count }

    /// Takes a slot for /api/check; `.refused` means answer 503 (all busy and the wait list full).
    public func acquireSync() async -> SyncAcquisition {
        if busy < slots {
            busy += 1
            return .immediate
        }
        guard syncWaiters.count < syncWaitLimit else { return .refused }
        // The releaser hands its slot over (busy stays counted), so no re-check is needed.
        await withCheckedContinuation { syncWaiters.append($0) }
        return .afterWait
    }

    /// Waits for a slot an async sample may use.
    public func acquireAsync() async {
        if busy < slots && busyAsync < asyncLimit {
            busy += 1
            busyAsync += 1
            return
        }
        await withCheckedContinuation { asyncWaiters.append($0) }
    }

    public func release(_ kind: Kind) {
        if kind == .async { busyAsync -= 1 }
        // Sync waiters first: they hold an open HTTP request.
        if !syncWaiters.isEmpty {
            syncWaiters.removeFirst().resume()
            return
        }
        if !asyncWaiters.isEmpty && busyAsync < asyncLimit {
            busyAsync += 1
            asyncWaiters.removeFirst().resume()
            return
        }
        busy -= 1
    }
}
