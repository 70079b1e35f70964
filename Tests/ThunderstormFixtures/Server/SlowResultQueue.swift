import Thunderstorm

/// TEST FIXTURE: a queue whose results take `delayNanoseconds` to be recorded, as on a slow disk,
/// so tests can see what the service does while a result is being written.
struct SlowResultQueue: AsyncSampleQueue {
    let queue: any AsyncSampleQueue
    let delayNanoseconds: UInt64

    func enqueue(stagedPath: String, sample: QueuedSample.Submission) async throws -> Int64 {
        try await queue.enqueue(stagedPath: stagedPath, sample: sample)
    }

    func next() async throws -> QueuedSample { try await queue.next() }

    func complete(id: Int64, outcome: AsyncOutcome) async throws {
        try await Task.sleep(nanoseconds: delayNanoseconds)
        try await queue.complete(id: id, outcome: outcome)
    }

    func state(of id: Int64) async throws -> AsyncSampleState? { try await queue.state(of: id) }

    func pendingCount() async -> Int { await queue.pendingCount() }
}
