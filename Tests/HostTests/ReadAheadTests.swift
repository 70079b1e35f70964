import Foundation
import Glibc
@testable import Host
import TestSupport
import XCTest

/// The worker starts reading the next file of its batch while it scans the current one. What the
/// kernel has cached is observed with mincore: a file is evicted first, then read ahead.
final class ReadAheadTests: XCTestCase {
    private let size = 2 << 20
    private let page = Int(sysconf(Int32(_SC_PAGESIZE)))

    private func settings(all: Bool) -> FileScanner.Settings {
        FileScanner.Settings(maxFileSize: 30 << 20, scanAllFiles: all)
    }

    /// A file of `size` bytes, written, synced and dropped from the page cache; nil (test skipped)
    /// when this file system keeps it cached anyway (tmpfs).
    private func evictedFile(_ name: String) throws -> String {
        let path = try temporaryFolder("readahead").path + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: size))
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        fsync(fd)
        posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)
        if try residentPages(path) > 0 { throw XCTSkip("this file system keeps evicted files cached; read-ahead cannot be observed") }
        return path
    }

    private func residentPages(_ path: String) throws -> Int {
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        guard let map = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), map != MAP_FAILED else { throw XCTSkip("mmap failed") }
        defer { munmap(map, size) }
        var vector = [UInt8](repeating: 0, count: (size + page - 1) / page)
        XCTAssertEqual(mincore(map, size, &vector), 0)
        return vector.filter { $0 & 1 == 1 }.count
    }

    /// Read-ahead is asynchronous: waits up to 3 s for at least `pages`.
    private func waitForResident(_ path: String, atLeast pages: Int) throws -> Int {
        var resident = 0
        for _ in 0..<300 {
            resident = try residentPages(path)
            if resident >= pages { break }
            usleep(10_000)
        }
        return resident
    }

    /// Starts the read-ahead and checks what it hands to the scan: the open file, or nothing.
    private func start(_ all: Bool, _ work: WorkItem, expectOpen: Bool) {
        let opened = ReadAhead(settings: settings(all: all)).start(work)
        XCTAssertEqual(opened != nil, expectOpen, work.path)
        if let opened {
            XCTAssertEqual(Int(opened.info.st_size), size)
            XCTAssertEqual(fcntl(opened.fd, F_GETFD), FD_CLOEXEC)
            close(opened.fd)
        }
    }

    func testTheWholeFileIsReadAheadWhenEveryFileIsScanned() throws {
        let path = try evictedFile("data.bin")
        start(true, WorkItem(path: path), expectOpen: true)
        XCTAssertEqual(try waitForResident(path, atLeast: size / page), size / page)
    }

    func testOnlyTheHeadOfAFileTheGateWillSkip() throws {
        let path = try evictedFile("photo.unknownext")
        start(false, WorkItem(path: path), expectOpen: true)
        let head = FileScanner.headSize / page
        XCTAssertGreaterThanOrEqual(try waitForResident(path, atLeast: head), head)
        // Nothing beyond what the gate reads is asked for (the kernel's own read-ahead window
        // may add a little, never the whole file).
        XCTAssertLessThan(try residentPages(path), size / page / 2)
    }

    func testASubmittedSampleIsLeftAlone() throws {
        // The service wrote it a moment ago (or it lives in memory): there is nothing to read ahead.
        let path = try evictedFile("upload.part")
        start(true, WorkItem(path: path, displayPath: "C:\\sample.exe", source: "WKS-1"), expectOpen: false)
        usleep(200_000)
        XCTAssertEqual(try residentPages(path), 0)
    }

    func testASymlinkIsNotFollowedAndAFIFODoesNotBlock() throws {
        let target = try evictedFile("target.bin")
        let link = target + ".link"
        XCTAssertEqual(symlink(target, link), 0)
        start(true, WorkItem(path: link), expectOpen: false)
        usleep(200_000)
        XCTAssertEqual(try residentPages(target), 0)

        let fifo = target + ".fifo"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let started = Date()
        start(true, WorkItem(path: fifo), expectOpen: false)
        XCTAssertLessThan(Date().timeIntervalSince(started), 1)
    }
}
