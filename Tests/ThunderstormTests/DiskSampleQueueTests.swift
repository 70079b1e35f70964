import Foundation
import TestSupport
import XCTest
@testable import Thunderstorm

final class DiskSampleQueueTests: XCTestCase {
    private func stage(_ dir: String, _ content: String) throws -> String {
        let path = dir + "/staged-\(UUID().uuidString)"
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func submission(_ name: String) -> QueuedSample.Submission {
        .init(fileName: name, source: "test", size: 1, firstBytes: [0x41], receivedAt: 0)
    }

    private let facts = SampleFileFacts(md5: "m", sha1: "s1", sha256: "s256", type: "UNKNOWN")

    func testResultCacheIsBoundedAndSurvivesReopening() async throws {
        let dir = try temporaryFolder("ts-queue").path
        let queue = try DiskSampleQueue(directory: dir + "/q", resultCacheSize: 3)
        var ids: [Int64] = []
        for i in 0..<5 { ids.append(try await queue.enqueue(stagedPath: try stage(dir, "s\(i)"), sample: submission("n\(i)"))) }
        XCTAssertEqual(ids, [1, 2, 3, 4, 5])
        let pending = await queue.pendingCount()
        XCTAssertEqual(pending, 5)
        for _ in 0..<5 {
            let sample = try await queue.next()
            XCTAssertEqual(try String(contentsOfFile: sample.path, encoding: .utf8), "s\(sample.id - 1)")
            let state = try await queue.state(of: sample.id)
            XCTAssertEqual(state, .scanning)
            try await queue.complete(id: sample.id, outcome: .complete(.clean(facts)))
        }
        let oldest = try await queue.state(of: 2)
        XCTAssertNil(oldest, "evicted beyond --server-result-cache-size")
        let kept = try await queue.state(of: 3)
        XCTAssertEqual(kept, .finished(.complete(.clean(facts)), submission("n2")))

        let reopened = try DiskSampleQueue(directory: dir + "/q", resultCacheSize: 3)
        let afterReopen = try await reopened.state(of: 5)
        XCTAssertEqual(afterReopen, .finished(.complete(.clean(facts)), submission("n4")))
        let fresh = try await reopened.enqueue(stagedPath: try stage(dir, "new"), sample: submission("new"))
        XCTAssertGreaterThan(fresh, 5, "ids are never reused")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/q/results").sorted(), ["3.json", "4.json", "5.json"])
    }

    /// A crash before a result's flush can leave it torn while its sample is still pending: on
    /// reopening the result is dropped and the sample scanned again, never read as the answer.
    func testATornResultOfAPendingSampleIsDroppedAndTheSampleScannedAgain() async throws {
        let dir = try temporaryFolder("ts-queue-torn").path
        let first = try DiskSampleQueue(directory: dir + "/q", resultCacheSize: 10)
        let id = try await first.enqueue(stagedPath: try stage(dir, "bytes"), sample: submission("torn"))
        let done = try await first.enqueue(stagedPath: try stage(dir, "other"), sample: submission("done"))
        _ = try await first.next()
        let second = try await first.next()
        XCTAssertEqual(second.id, done)
        try await first.complete(id: done, outcome: .complete(.clean(facts)))
        try Data([0, 0, 0, 0]).write(to: URL(fileURLWithPath: dir + "/q/results/\(id).json"))

        let reopened = try DiskSampleQueue(directory: dir + "/q", resultCacheSize: 10)
        let state = try await reopened.state(of: id)
        XCTAssertEqual(state, .queued)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/q/results"), ["\(done).json"])
        let kept = try await reopened.state(of: done)
        XCTAssertEqual(kept, .finished(.complete(.clean(facts)), submission("done")))
        let again = try await reopened.next()
        XCTAssertEqual(again.id, id)
        XCTAssertEqual(try String(contentsOfFile: again.path, encoding: .utf8), "bytes")
        try await reopened.complete(id: id, outcome: .complete(.clean(facts)))
        let finished = try await reopened.state(of: id)
        XCTAssertEqual(finished, .finished(.complete(.clean(facts)), submission("torn")))
    }

    func testZeroCacheSizeKeepsNoResults() async throws {
        let dir = try temporaryFolder("ts-queue0").path
        let queue = try DiskSampleQueue(directory: dir + "/q", resultCacheSize: 0)
        let id = try await queue.enqueue(stagedPath: try stage(dir, "x"), sample: submission("x"))
        let queued = try await queue.state(of: id)
        XCTAssertEqual(queued, .queued)
        let sample = try await queue.next()
        try await queue.complete(id: sample.id, outcome: .failed("boom"))
        let state = try await queue.state(of: id)
        XCTAssertNil(state)
        XCTAssertFalse(FileManager.default.fileExists(atPath: sample.path))
    }

    func testInterruptedEnqueueLeavesNoSample() async throws {
        let dir = try temporaryFolder("ts-queue-crash").path
        try FileManager.default.createDirectory(atPath: dir + "/q/pending", withIntermediateDirectories: true)
        // A crash between the sample rename and the metadata write: the id was never answered.
        try Data("orphan".utf8).write(to: URL(fileURLWithPath: dir + "/q/pending/7.sample"))
        try Data("{".utf8).write(to: URL(fileURLWithPath: dir + "/q/pending/8.json.tmp"))
        let queue = try DiskSampleQueue(directory: dir + "/q", resultCacheSize: 10)
        let count = await queue.pendingCount()
        XCTAssertEqual(count, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/q/pending"), [])
    }

    func testConcurrentEnqueuesAreCommittedTogetherAndAllRecovered() async throws {
        let dir = try temporaryFolder("ts-queue-group").path
        let queue = try DiskSampleQueue(directory: dir + "/q", resultCacheSize: 100)
        let staged = try (0..<32).map { try stage(dir, "sample \($0)") }
        let ids = try await withThrowingTaskGroup(of: (Int, Int64).self) { group in
            for (i, path) in staged.enumerated() {
                group.addTask { (i, try await queue.enqueue(stagedPath: path, sample: self.submission("n\(i)"))) }
            }
            var ids: [Int: Int64] = [:]
            for try await (i, id) in group { ids[i] = id }
            return ids
        }
        XCTAssertEqual(Set(ids.values), Set(1...32))
        // Every answered sample is fully on disk: a reopened queue (a restart) holds all 32 with their bytes.
        let reopened = try DiskSampleQueue(directory: dir + "/q", resultCacheSize: 100)
        let pending = await reopened.pendingCount()
        XCTAssertEqual(pending, 32)
        for _ in 0..<32 {
            let sample = try await reopened.next()
            let index = try XCTUnwrap(ids.first { $0.value == sample.id }?.key)
            XCTAssertEqual(sample.submission.fileName, "n\(index)")
            XCTAssertEqual(try String(contentsOfFile: sample.path, encoding: .utf8), "sample \(index)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/q/pending").filter { $0.hasSuffix(".tmp") }, [])
    }

    func testIdBlocksAreReservedOnceAcrossConcurrentEnqueuesAndRestarts() async throws {
        let dir = try temporaryFolder("ts-queue-ids").path
        let queue = try DiskSampleQueue(directory: dir + "/q", resultCacheSize: 0, durable: false)
        // 1,100 at once cross the first block of 1,024 ids while enqueues wait on its write.
        let staged = try (0..<1100).map { try stage(dir, "sample \($0)") }
        let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
            for path in staged { group.addTask { try await queue.enqueue(stagedPath: path, sample: self.submission("n")) } }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        XCTAssertEqual(ids.sorted(), Array(1...1100))
        XCTAssertEqual(try String(contentsOfFile: dir + "/q/next-id", encoding: .utf8), "2049")
        // A restart goes on after the reserved block, never reusing an id given out before.
        let reopened = try DiskSampleQueue(directory: dir + "/q", resultCacheSize: 0, durable: false)
        let after = try await reopened.enqueue(stagedPath: try stage(dir, "after"), sample: submission("after"))
        XCTAssertEqual(after, 2049)
    }

    func testFlushAnswersPerPathAndOnlyForWhatFailed() throws {
        let dir = try temporaryFolder("ts-flush").path
        let files = try (0..<3).map { try stage(dir, "bytes \($0)") }
        var paths = files + [dir, dir + "/missing"]
        // A second file system where there is one (a memory one): each is flushed on its own.
        if FileManager.default.isWritableFile(atPath: "/dev/shm") {
            let other = "/dev/shm/ts-flush-\(getpid())"
            FileManager.default.createFile(atPath: other, contents: Data("x".utf8))
            paths.append(other)
        }
        defer { unlink("/dev/shm/ts-flush-\(getpid())") }
        let flusher = FileSystemFlusher()
        let errors = flusher.flush(paths)
        XCTAssertEqual(Array(errors.keys), [dir + "/missing"])
        XCTAssertTrue("\(errors[dir + "/missing"]!)".hasPrefix("stat \(dir)/missing: No such file"), "\(errors)")
        XCTAssertTrue(flusher.flush([]).isEmpty)
        XCTAssertEqual(Array(flusher.flush(files).keys), [], "a second flush reuses the kept descriptors")
        // Path by path, as where syncfs is refused: the same answer.
        let fallback = FileSystemFlusher(wholeFileSystems: false).flush(paths)
        XCTAssertEqual(Array(fallback.keys), [dir + "/missing"])
        XCTAssertTrue("\(fallback[dir + "/missing"]!)".hasPrefix("open \(dir)/missing: No such file"), "\(fallback)")
    }

    func testFailedEnqueueLeavesNothingQueued() async throws {
        let dir = try temporaryFolder("ts-queue-fail").path
        let queue = try DiskSampleQueue(directory: dir + "/q", resultCacheSize: 10)
        do {
            _ = try await queue.enqueue(stagedPath: dir + "/no-such-upload", sample: submission("gone"))
            XCTFail("enqueue of a missing upload must fail")
        } catch {}
        let pending = await queue.pendingCount()
        XCTAssertEqual(pending, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/q/pending"), [])
    }

    func testSchedulerReservesSyncOnlySlots() async {
        let scheduler = ScanScheduler(slots: 2, syncOnly: 1, syncWaitLimit: 0)
        await scheduler.acquireAsync()
        // A second async sample must wait although a slot is free: it is reserved for /api/check.
        let waiter = Task { await scheduler.acquireAsync() }
        try? await Task.sleep(nanoseconds: 50_000_000)
        let answers = OrderLog()
        scheduler.acquireSync { answers.append("\($0)") }
        scheduler.acquireSync { answers.append("\($0)") }
        XCTAssertEqual(answers.entries, ["immediate", "refused"])
        scheduler.release(.async)
        await waiter.value
        XCTAssertEqual(scheduler.busySlots, 2)
    }
}
