import NIOConcurrencyHelpers

/// The pool of scan slots shared by /api/check and the async queue.
///
/// Sync requests may take any free slot; async samples only while fewer than
/// `threads - syncOnlyThreads` of them are running, so --sync-only-threads slots stay free for
/// /api/check. A sync request finding no slot waits in a bounded FIFO; beyond it, it is refused (503).
///
/// A lock, not an actor: every /api/check takes and returns a slot, and a free slot is the usual
/// case, so that path must not suspend the request's task (an actor hop there was two task switches
/// per sample). Only a request that waits suspends, on a continuation resumed by `release`.
public final class ScanScheduler: Sendable {
    public enum Kind: Sendable { case sync, async }

    public enum SyncAcquisition: Sendable, Equatable {
        case immediate, afterWait, refused
    }

    public let slots: Int
    public let asyncLimit: Int
    public let syncWaitLimit: Int

    private struct State {
        var busy = 0
        var busyAsync = 0
        /// Resumed with true when a releaser hands its slot over, false when refused.
        var syncWaiters: [CheckedContinuation<Bool, Never>] = []
        var asyncWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = NIOLockedValueBox(State())

    public init(slots: Int, syncOnly: Int, syncWaitLimit: Int) {
        self.slots = max(1, slots)
        self.asyncLimit = max(1, slots - max(0, syncOnly))
        self.syncWaitLimit = max(0, syncWaitLimit)
    }

    public var busySlots: Int { state.withLockedValue { $0.busy } }
    public var waitingSync: Int { state.withLockedValue { $0.syncWaiters.count } }

    /// Takes a slot for /api/check; `.refused` means answer 503 (all busy and the wait list full).
    public func acquireSync() async -> SyncAcquisition {
        let taken = state.withLockedValue { s -> Bool in
            guard s.busy < slots else { return false }
            s.busy += 1
            return true
        }
        if taken { return .immediate }
        // Decided again under the lock: a slot may have come free meanwhile. The releaser hands its
        // slot over (busy stays counted), so a resumed waiter holds one.
        let admitted = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let answer = state.withLockedValue { s -> Bool? in
                if s.busy < slots {
                    s.busy += 1
                    return true
                }
                guard s.syncWaiters.count < syncWaitLimit else { return false }
                s.syncWaiters.append(continuation)
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
        return admitted ? .afterWait : .refused
    }

    /// Waits for a slot an async sample may use.
    public func acquireAsync() async {
        let takeAsync = { [slots, asyncLimit] (s: inout State) -> Bool in
            guard s.busy < slots && s.busyAsync < asyncLimit else { return false }
            s.busy += 1
            s.busyAsync += 1
            return true
        }
        if state.withLockedValue(takeAsync) { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let taken = state.withLockedValue { s -> Bool in
                if takeAsync(&s) { return true }
                s.asyncWaiters.append(continuation)
                return false
            }
            if taken { continuation.resume() }
        }
    }

    public func release(_ kind: Kind) {
        enum Handover { case sync(CheckedContinuation<Bool, Never>), async(CheckedContinuation<Void, Never>), none }
        let next = state.withLockedValue { s -> Handover in
            if kind == .async { s.busyAsync -= 1 }
            // Sync waiters first: they hold an open HTTP request.
            if !s.syncWaiters.isEmpty { return .sync(s.syncWaiters.removeFirst()) }
            if !s.asyncWaiters.isEmpty && s.busyAsync < asyncLimit {
                s.busyAsync += 1
                return .async(s.asyncWaiters.removeFirst())
            }
            s.busy -= 1
            return .none
        }
        // Resumed outside the lock: a continuation may run its task right away.
        switch next {
        case .sync(let waiter): waiter.resume(returning: true)
        case .async(let waiter): waiter.resume()
        case .none: break
        }
    }
}
