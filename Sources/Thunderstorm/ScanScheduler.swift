import NIOConcurrencyHelpers

/// The pool of scan slots shared by /api/check and the async queue.
///
/// Sync requests may take any free slot; async samples only while fewer than
/// `threads - syncOnlyThreads` of them are running, so --sync-only-threads slots stay free for
/// /api/check. A sync request finding no slot waits in a bounded FIFO; beyond it, it is refused (503).
///
/// A lock, not an actor: every /api/check takes and returns a slot on the event loop, without a
/// task; a free slot is the usual case and is answered in place. Only a request that waits is
/// called back, by the `release` that frees its slot.
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
        /// Called with `.afterWait` when a releaser hands its slot over.
        var syncWaiters: [@Sendable (SyncAcquisition) -> Void] = []
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

    /// Takes a slot for /api/check and calls `then` with how: at once when a slot is free or the
    /// wait list is full (`.refused`: answer 503), else later, from the `release` that hands its
    /// slot over (busy stays counted, so the waiter holds it), on that caller's thread.
    public func acquireSync(_ then: @escaping @Sendable (SyncAcquisition) -> Void) {
        let answer = state.withLockedValue { s -> SyncAcquisition? in
            if s.busy < slots {
                s.busy += 1
                return .immediate
            }
            guard s.syncWaiters.count < syncWaitLimit else { return .refused }
            s.syncWaiters.append(then)
            return nil
        }
        if let answer { then(answer) }
    }

    /// Waits for a slot an async sample may use (decided once, under the lock; a waiter is resumed
    /// by the `release` that hands it a slot).
    public func acquireAsync() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let taken = state.withLockedValue { s -> Bool in
                guard s.busy < slots && s.busyAsync < asyncLimit else {
                    s.asyncWaiters.append(continuation)
                    return false
                }
                s.busy += 1
                s.busyAsync += 1
                return true
            }
            if taken { continuation.resume() }
        }
    }

    public func release(_ kind: Kind) {
        enum Handover { case sync(@Sendable (SyncAcquisition) -> Void), async(CheckedContinuation<Void, Never>), none }
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
        // Called outside the lock: a waiter may go on to scan right away.
        switch next {
        case .sync(let waiter): waiter(.afterWait)
        case .async(let waiter): waiter.resume()
        case .none: break
        }
    }
}
