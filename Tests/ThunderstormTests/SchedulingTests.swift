import Foundation
import XCTest

/// The service's own threads are SCHED_BATCH (their wake-ups do not preempt a scan); its workers
/// scan as SCHED_OTHER. Read from /proc, as the kernel applies it.
final class SchedulingTests: XCTestCase {
    private static let other = 0, batch = 3

    /// The scheduling policy of a thread: field 41 of /proc/<pid>/task/<tid>/stat.
    private func policy(_ statPath: String) throws -> Int {
        let text = try String(contentsOfFile: statPath, encoding: .utf8)
        // Fields start after the command name in parentheses, which may hold spaces; that is field 3.
        let fields = try XCTUnwrap(text.range(of: ")", options: .backwards)).upperBound
        let rest = text[fields...].split(separator: " ")
        return try XCTUnwrap(Int(rest[41 - 3]))
    }

    private func threadPolicies(_ pid: Int32) throws -> [Int] {
        let tasks = "/proc/\(pid)/task"
        return try FileManager.default.contentsOfDirectory(atPath: tasks).map { try policy("\(tasks)/\($0)/stat") }
    }

    private func children(_ pid: Int32) throws -> [Int32] {
        let tasks = "/proc/\(pid)/task"
        return try FileManager.default.contentsOfDirectory(atPath: tasks).flatMap { tid in
            ((try? String(contentsOfFile: "\(tasks)/\(tid)/children", encoding: .utf8)) ?? "").split(separator: " ").compactMap { Int32($0) }
        }
    }

    /// The workers' allocator keeps a scan's worth of small objects (see WorkerProcess). Only the
    /// first tunable is checked: glibc cuts the variable at each ':' in place as it reads it.
    func testWorkersGetTheAllocatorCache() throws {
        _ = try ThorService.requireThor()
        let service = try ThorService(["--modules", "ioc"], threads: 1)
        defer { service.stop() }
        let worker = try XCTUnwrap(try children(service.process.processIdentifier).first)
        let environ = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(worker)/environ"))
        let entries = environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        XCTAssertEqual(entries.filter { $0.hasPrefix("GLIBC_TUNABLES=") }, ["GLIBC_TUNABLES=glibc.malloc.tcache_count=4096"])
    }

    func testServiceThreadsAreBatchAndWorkersAreNormal() throws {
        _ = try ThorService.requireThor()
        let service = try ThorService(["--modules", "ioc"], threads: 2)
        defer { service.stop() }
        let pid = service.process.processIdentifier
        let own = try threadPolicies(pid)
        XCTAssertGreaterThanOrEqual(own.count, 4, "the HTTP loops, the hand-over threads and the main thread")
        XCTAssertEqual(Set(own), [Self.batch])
        // The pool starts all its workers at once; the first is ready before the service listens,
        // the other may still be on its way.
        var workers = try children(pid)
        let deadline = Date().addingTimeInterval(10)
        while workers.count < 2 && Date() < deadline {
            usleep(20_000)
            workers = try children(pid)
        }
        XCTAssertEqual(workers.count, 2)
        for worker in workers { XCTAssertEqual(Set(try threadPolicies(worker)), [Self.other]) }
    }
}
