import Foundation
import TestSupport
import XCTest
@testable import Thunderstorm

/// Synchronous uploads live in memory files (Linux) up to a limit, then move to the upload directory.
final class UploadFileTests: XCTestCase {
    private func contents(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    private func append(_ file: inout UploadFile, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try file.append($0) }
    }

    func testSmallUploadStaysInAMemoryFileOthersCanOpen() throws {
        #if !os(Linux)
        throw XCTSkip("memory files are Linux only")
        #else
        let dir = try temporaryFolder("ts-memfd").path
        var file = try UploadFile(directory: dir, memoryLimit: 1000)
        try append(&file, Array(repeating: 0x41, count: 600))
        try append(&file, Array(repeating: 0x42, count: 400))
        file.finishWriting()
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

    func testUploadOutgrowingTheLimitMovesToTheUploadDirectory() throws {
        let dir = try temporaryFolder("ts-memfd").path
        var file = try UploadFile(directory: dir, memoryLimit: 1000)
        let first = (0..<700).map { UInt8($0 % 251) }
        let second = (0..<700).map { UInt8($0 % 13) }
        try append(&file, first)
        try append(&file, second)
        file.finishWriting()
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
        file.finishWriting()
        XCTAssertFalse(file.inMemory)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).count, 1)
        XCTAssertTrue(file.keep(as: dir + "/kept"))
        XCTAssertEqual(try contents(dir + "/kept"), [1, 2, 3])
        file.discard()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["kept"])
    }
}
