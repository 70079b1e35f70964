import Foundation
import TestSupport
import XCTest
@testable import Thunderstorm

/// Synchronous uploads live in memory files (Linux) up to a limit, then move to the upload directory.
final class UploadFileTests: XCTestCase {
    private func contents(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The inode behind a path (a memory file's /proc link leads to the memory file's own).
    private func inode(_ path: String) -> UInt64? {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_ino) : nil
    }

    private func append(_ file: inout UploadFile, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try file.append($0) }
    }

    /// A pool of one whose memory file held a sample of `count` bytes of 0x41; and that file's inode.
    private func poolAfterASample(in dir: String, count: Int) throws -> (MemoryFilePool, UInt64) {
        let pool = MemoryFilePool(capacity: 1)
        var first = try UploadFile(directory: dir, memoryLimit: 1000, pool: pool)
        let firstInode = try XCTUnwrap(inode(first.path))
        try append(&first, Array(repeating: 0x41, count: count))
        try first.finishWriting()
        first.discard()
        return (pool, firstInode)
    }

    func testUploadsInMemoryShareOneBudgetAndTheOneBeyondItGoesToDisk() throws {
        #if !os(Linux)
        throw XCTSkip("memory files are Linux only")
        #else
        let dir = try temporaryFolder("ts-budget").path
        let pool = MemoryFilePool(capacity: 4, budget: 100)
        var first = try UploadFile(directory: dir, memoryLimit: 1000, pool: pool)
        var second = try UploadFile(directory: dir, memoryLimit: 1000, pool: pool)
        try append(&first, Array(repeating: 0x41, count: 60))
        XCTAssertEqual(pool.reservedBytes, 60)
        try append(&second, Array(repeating: 0x42, count: 30))
        XCTAssertEqual(pool.reservedBytes, 90)
        // 30 more would pass the budget of 100: the second moves to disk with all of its bytes.
        try append(&second, Array(repeating: 0x42, count: 30))
        XCTAssertTrue(first.inMemory)
        XCTAssertFalse(second.inMemory)
        XCTAssertEqual(pool.reservedBytes, 60)
        try second.finishWriting()
        XCTAssertEqual(try contents(second.path), Array(repeating: 0x42, count: 60))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).count, 1)
        try first.finishWriting()
        first.discard()
        second.discard()
        XCTAssertEqual(pool.reservedBytes, 0, "both gone: the whole budget is free again")
        var third = try UploadFile(directory: dir, memoryLimit: 1000, pool: pool)
        try append(&third, Array(repeating: 0x43, count: 100))
        XCTAssertTrue(third.inMemory)
        XCTAssertEqual(pool.reservedBytes, 100)
        third.discard()
        XCTAssertEqual(pool.reservedBytes, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
        #endif
    }

    func testAWriteThatFailsGivesItsReservationBack() throws {
        #if !os(Linux)
        throw XCTSkip("memory files are Linux only")
        #else
        let dir = try temporaryFolder("ts-budget-fail").path
        let pool = MemoryFilePool(capacity: 1, budget: 10_000)
        var file = try UploadFile(directory: dir, memoryLimit: 10_000, pool: pool)
        try append(&file, Array(repeating: 0x41, count: 600))
        // A file-size limit of 1000 bytes for this process makes the next write fail (EFBIG).
        var saved = rlimit()
        getrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
        let previous = signal(SIGXFSZ, SIG_IGN)
        var small = rlimit(rlim_cur: 1000, rlim_max: saved.rlim_max)
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &small)
        XCTAssertThrowsError(try append(&file, Array(repeating: 0x42, count: 600)))
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
        signal(SIGXFSZ, previous)
        XCTAssertEqual(pool.reservedBytes, 600, "only what was written stays reserved")
        file.discard()
        XCTAssertEqual(pool.reservedBytes, 0)
        #endif
    }

    func testSmallUploadStaysInAMemoryFileOthersCanOpen() throws {
        #if !os(Linux)
        throw XCTSkip("memory files are Linux only")
        #else
        let dir = try temporaryFolder("ts-memfd").path
        var file = try UploadFile(directory: dir, memoryLimit: 1000)
        try append(&file, Array(repeating: 0x41, count: 600))
        try append(&file, Array(repeating: 0x42, count: 400))
        try file.finishWriting()
        XCTAssertTrue(file.inMemory)
        XCTAssertTrue(file.path.hasPrefix("/proc/\(getpid())/fd/"), file.path)
        XCTAssertEqual(try contents(file.path), Array(repeating: 0x41, count: 600) + Array(repeating: 0x42, count: 400))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])

        XCTAssertTrue(file.keep(as: dir + "/kept"))
        XCTAssertEqual(try contents(dir + "/kept").count, 1000)
        let path = file.path
        file.discard()
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        #endif
    }

    func testAPooledMemoryFileShowsOnlyTheNextSample() throws {
        #if !os(Linux)
        throw XCTSkip("memory files are Linux only")
        #else
        let dir = try temporaryFolder("ts-memfd").path
        let (pool, firstInode) = try poolAfterASample(in: dir, count: 900)
        // The same memory file again, with the first sample's pages: the next one writes over them
        // from offset 0 and is cut to its own size.
        var second = try UploadFile(directory: dir, memoryLimit: 1000, pool: pool)
        XCTAssertEqual(inode(second.path), firstInode)
        try append(&second, [1, 2, 3])
        try second.finishWriting()
        XCTAssertEqual(try contents(second.path), [1, 2, 3])
        // Another one while the pooled one is in use is a new memory file; the pool keeps one only.
        var third = try UploadFile(directory: dir, memoryLimit: 1000, pool: pool)
        XCTAssertNotEqual(inode(third.path), firstInode)
        try append(&third, [9])
        try third.finishWriting()
        second.discard()
        let closed = third.path
        third.discard()
        XCTAssertFalse(FileManager.default.fileExists(atPath: closed))
        XCTAssertTrue(FileManager.default.fileExists(atPath: second.path))
        #endif
    }

    func testAMemoryFileOutgrowingTheLimitGoesBackToItsPool() throws {
        #if !os(Linux)
        throw XCTSkip("memory files are Linux only")
        #else
        let dir = try temporaryFolder("ts-memfd").path
        let pool = MemoryFilePool(capacity: 1)
        var big = try UploadFile(directory: dir, memoryLimit: 1000, pool: pool)
        let memoryInode = try XCTUnwrap(inode(big.path))
        try append(&big, Array(repeating: 7, count: 800))
        try append(&big, Array(repeating: 8, count: 800))
        try big.finishWriting()
        XCTAssertFalse(big.inMemory)
        XCTAssertEqual(try contents(big.path), Array(repeating: 7, count: 800) + Array(repeating: 8, count: 800))
        big.discard()
        var next = try UploadFile(directory: dir, memoryLimit: 1000, pool: pool)
        XCTAssertEqual(inode(next.path), memoryInode)
        try append(&next, [5])
        try next.finishWriting()
        XCTAssertEqual(try contents(next.path), [5])
        next.discard()
        #endif
    }

    func testAReusedMemoryFileMovesOnlyTheNewBytesToDisk() throws {
        #if !os(Linux)
        throw XCTSkip("memory files are Linux only")
        #else
        let dir = try temporaryFolder("ts-memfd").path
        let (pool, _) = try poolAfterASample(in: dir, count: 990)
        var second = try UploadFile(directory: dir, memoryLimit: 1000, pool: pool)
        try append(&second, Array(repeating: 1, count: 300))
        XCTAssertTrue(second.inMemory)
        // Over the limit: the 300 bytes move to disk, not the first sample's 990.
        try append(&second, Array(repeating: 2, count: 800))
        try second.finishWriting()
        XCTAssertFalse(second.inMemory)
        XCTAssertEqual(try contents(second.path), Array(repeating: 1, count: 300) + Array(repeating: 2, count: 800))
        second.discard()
        // A sample over MemoryFilePool.keptBytes gives its pages back: the file returns empty.
        var large = try UploadFile(directory: dir, memoryLimit: MemoryFilePool.keptBytes + 10, pool: pool)
        try append(&large, Array(repeating: 3, count: Int(MemoryFilePool.keptBytes) + 1))
        try large.finishWriting()
        let fd = open(large.path, O_RDONLY)
        defer { close(fd) }
        large.discard()
        var info = stat()
        XCTAssertEqual(fstat(fd, &info), 0)
        XCTAssertEqual(info.st_size, 0)
        #endif
    }

    func testUploadOutgrowingTheLimitMovesToTheUploadDirectory() throws {
        let dir = try temporaryFolder("ts-memfd").path
        var file = try UploadFile(directory: dir, memoryLimit: 1000)
        let first = (0..<700).map { UInt8($0 % 251) }
        let second = (0..<700).map { UInt8($0 % 13) }
        try append(&file, first)
        try append(&file, second)
        try file.finishWriting()
        XCTAssertFalse(file.inMemory)
        XCTAssertTrue(file.path.hasPrefix(dir + "/upload-"), file.path)
        XCTAssertEqual(try contents(file.path), first + second)
        file.discard()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
    }

    func testLimitZeroWritesToDiskFromTheStart() throws {
        let dir = try temporaryFolder("ts-memfd").path
        var file = try UploadFile(directory: dir, memoryLimit: 0)
        try append(&file, [1, 2, 3])
        try file.finishWriting()
        XCTAssertFalse(file.inMemory)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).count, 1)
        XCTAssertTrue(file.keep(as: dir + "/kept"))
        XCTAssertEqual(try contents(dir + "/kept"), [1, 2, 3])
        file.discard()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["kept"])
    }
}
