import Foundation
import Glibc
@testable import Host
import TestSupport
import XCTest

/// THOR's double-run check: a second scan on the same host refuses to start, names the first
/// one's PID, and runs with --nodoublecheck; the lock goes with the process that held it.
final class ScanLockTests: XCTestCase {
    func testASecondHolderIsRefusedWithTheFirstOnesPIDUntilTheFirstLetsGo() throws {
        let name = "thor-scan-lock-test-\(getpid())"
        var first: ScanLock? = try ScanLock.acquire(name: name)
        XCTAssertNotNil(first)
        XCTAssertThrowsError(try ScanLock.acquire(name: name)) { error in
            XCTAssertEqual((error as? ConfigError)?.description,
                           "another THOR scan is running on this host (PID \(getpid())); wait for it to end, or use --nodoublecheck to run beside it")
        }
        first = nil
        XCTAssertNoThrow(try ScanLock.acquire(name: name))
    }

    func testAScanRefusesToRunBesideAnotherAndRunsWithNoDoubleCheck() throws {
        let tree = try temporaryFolder("tree")
        try tree.write("a.txt", "plain text\n")
        var held: ScanLock?
        do {
            held = try ScanLock.acquire()
        } catch {
            throw XCTSkip("a thor scan is running on this machine, so the host's lock cannot be taken for the test: \(error)")
        }
        let refused = try Support.runThor(["-p", tree.path, "--nolog"])
        XCTAssertEqual(refused.status, 3)
        XCTAssertEqual(refused.stderr.trimmingCharacters(in: .newlines),
                       "thor: error: another THOR scan is running on this host (PID \(getpid())); wait for it to end, or use --nodoublecheck to run beside it")
        XCTAssertFalse(refused.stdout.contains("Thor scan starting"), refused.stdout)

        let beside = try Support.runThor(["-p", tree.path, "--nolog", "--nodoublecheck"])
        XCTAssertEqual(beside.status, 0, beside.stdout + beside.stderr)
        XCTAssertTrue(beside.stdout.contains(" FILES: 1 "), beside.stdout)

        XCTAssertNotNil(held)
        held = nil
        let after = try Support.runThor(["-p", tree.path, "--nolog"])
        XCTAssertEqual(after.status, 0, after.stdout + after.stderr)
    }

    func testTheLockIsNotInheritedByWhatTheHolderStarts() throws {
        // Workers and anything else a scan spawns must not keep the host locked after it ended.
        // posix_spawn as the workers are started: every descriptor without close-on-exec is
        // inherited (Foundation's Process would close them all itself and prove nothing).
        let name = "thor-scan-lock-test-inherit-\(getpid())"
        var held: ScanLock? = try ScanLock.acquire(name: name)
        XCTAssertNotNil(held)
        var child: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("5"), nil]
        defer { argv.forEach { free($0) } }
        XCTAssertEqual(posix_spawn(&child, "/bin/sleep", nil, nil, argv, environ), 0)
        defer {
            kill(child, SIGKILL)
            var status: Int32 = 0
            waitpid(child, &status, 0)
        }
        held = nil
        // The child drops close-on-exec descriptors inside its exec, which may finish just after
        // posix_spawn returns: a moment's grace, far below the 5 s an inherited lock would last.
        var retaken: ScanLock?
        for _ in 0..<50 where retaken == nil {
            retaken = try? ScanLock.acquire(name: name)
            if retaken == nil { usleep(20_000) }
        }
        XCTAssertNotNil(retaken, "the child still holds the lock")
    }
}
