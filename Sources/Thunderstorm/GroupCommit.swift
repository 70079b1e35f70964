import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Group commit for the durable queue: concurrent writers hand in their writes, one thread runs
/// every write that is waiting, then makes the whole batch durable (`FileSystemFlusher`: the
/// replacing files, then after the renames the folders and the new files), and only then lets
/// each writer go on. N concurrent
/// enqueues cost one round of flushes instead of N serialised ones, and no flush ever blocks a
/// Swift concurrency thread.
final class GroupCommit: @unchecked Sendable {
    /// What one write left behind, and how it becomes durable.
    struct Dirty {
        /// Temporaries that will replace an existing file: flushed before their renames, so the
        /// name never points at bytes that are not on disk (the old ones were good).
        var replacing: [String] = []
        /// Temporary -> final name.
        var renames: [(from: String, to: String)] = []
        /// Files under new names (their final names), flushed with the folders after the renames:
        /// their writer answers only after that, so what a crash before it leaves was never
        /// promised to anyone.
        var created: [String] = []
        var directories: [String] = []
    }

    private struct Job {
        let write: () throws -> Dirty
        let finish: (Result<Void, any Error>) -> Void
    }

    /// Shared with the commit thread, which must not keep the committer itself alive.
    private final class State: @unchecked Sendable {
        let condition = NSCondition()
        var jobs: [Job] = []
        var stopped = false
    }

    private let state = State()

    /// `durable: false` runs the writes and renames without any flush (benchmarks on throwaway disks).
    init(durable: Bool) {
        let state = self.state
        Thread {
            // Named from inside: on Linux a name set before start does not reach the system (top -H, perf).
            Thread.current.name = "ts-commit"
            Self.loop(state, durable: durable)
        }.start()
    }

    deinit {
        state.condition.lock()
        state.stopped = true
        state.condition.broadcast()
        state.condition.unlock()
    }

    /// Runs `write` on the commit thread and returns once what it wrote is durable.
    func commit(_ write: @escaping () throws -> Dirty) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            state.condition.lock()
            state.jobs.append(Job(write: write, finish: { continuation.resume(with: $0) }))
            state.condition.signal()
            state.condition.unlock()
        }
    }

    private static func loop(_ state: State, durable: Bool) {
        let flusher = FileSystemFlusher()
        while true {
            state.condition.lock()
            while state.jobs.isEmpty && !state.stopped { state.condition.wait() }
            if state.jobs.isEmpty {
                state.condition.unlock()
                return
            }
            let batch = state.jobs
            state.jobs.removeAll(keepingCapacity: true)
            state.condition.unlock()
            run(batch, flusher: durable ? flusher : nil)
        }
    }

    private static func run(_ batch: [Job], flusher: FileSystemFlusher?) {
        var outcomes = batch.map { job in Result<Dirty, any Error>(catching: job.write) }
        if let flusher { outcomes = flushed(outcomes, by: flusher) { $0.replacing } }
        for i in outcomes.indices {
            outcomes[i] = outcomes[i].flatMap { dirty in
                Result<Dirty, any Error>(catching: {
                    for move in dirty.renames { try DurableFiles.check(rename(move.from, move.to), "rename", move.from) }
                    return dirty
                })
            }
        }
        // Then the names and new files: this is where N commits become one.
        if let flusher { outcomes = flushed(outcomes, by: flusher) { $0.directories + $0.created } }
        for (job, outcome) in zip(batch, outcomes) {
            job.finish(outcome.map { _ in () })
        }
    }

    /// The outcomes, each failed whose `paths` could not all be made durable.
    private static func flushed(_ outcomes: [Result<Dirty, any Error>], by flusher: FileSystemFlusher,
                                _ paths: (Dirty) -> [String]) -> [Result<Dirty, any Error>] {
        var all: [String] = []
        for case .success(let dirty) in outcomes { all += paths(dirty) }
        let errors = flusher.flush(all)
        guard !errors.isEmpty else { return outcomes }
        return outcomes.map { outcome in
            outcome.flatMap { dirty in
                if let error = paths(dirty).lazy.compactMap({ errors[$0] }).first { return .failure(error) }
                return .success(dirty)
            }
        }
    }
}
