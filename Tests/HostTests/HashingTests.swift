import TestSupport
import XCTest
@testable import Host

final class HashingTests: XCTestCase {
    /// Pseudo-random bytes (xorshift), so every chunk differs.
    private func makeFile(size: Int) throws -> (path: String, bytes: [UInt8]) {
        let dir = try temporaryFolder().path
        let path = dir + "/data.bin"
        var state: UInt32 = 2_463_534_242
        let bytes = (0..<size).map { _ -> UInt8 in
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            return UInt8(truncatingIfNeeded: state)
        }
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return (path, bytes)
    }

    private func assertCoreutilsDigests(_ digests: Hasher.Digests, of path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        for (tool, digest) in [("md5sum", digests.md5), ("sha1sum", digests.sha1), ("sha256sum", digests.sha256)] {
            XCTAssertEqual(digest.hexString, try ChildProcess.digest(tool, of: path), tool, file: file, line: line)
        }
    }

    /// The copy path (head, then the rest in chunks into one buffer) against coreutils, with and
    /// without mapping allowed (the file is below the mapping threshold).
    func testCopiedContentDigestsEqualCoreutils() throws {
        let size = 3 * 1_048_576 + 12345
        XCTAssertLessThan(size, ContentReader.mapThreshold)
        let (path, bytes) = try makeFile(size: size)
        for mapping in [false, true] {
            let fd = open(path, O_RDONLY)
            defer { close(fd) }
            let reader = ContentReader(mapLargeFiles: mapping)
            let head = try reader.readHead(fd: fd, count: 65536)
            XCTAssertEqual(head.count, 65536)
            let (content, digests) = try reader.readContent(fd: fd, headCount: head.count, size: bytes.count, hash: true)
            XCTAssertEqual(content.count, bytes.count)
            XCTAssertTrue(content.elementsEqual(bytes))
            try assertCoreutilsDigests(try XCTUnwrap(digests), of: path)
            reader.release()
        }
    }

    /// A file above the threshold is mapped: the modules see every byte, the digests are exact,
    /// and without hashing none are computed.
    func testMappedContentDigestsEqualCoreutils() throws {
        let (path, bytes) = try makeFile(size: ContentReader.mapThreshold + 777)
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        let reader = ContentReader(mapLargeFiles: true)
        let head = try reader.readHead(fd: fd, count: 65536)
        let (content, digests) = try reader.readContent(fd: fd, headCount: head.count, size: bytes.count, hash: true)
        XCTAssertEqual(content.count, bytes.count)
        XCTAssertTrue(content.elementsEqual(bytes))
        try assertCoreutilsDigests(try XCTUnwrap(digests), of: path)
        reader.release()
        let (again, none) = try reader.readContent(fd: fd, headCount: head.count, size: bytes.count, hash: false)
        XCTAssertNil(none)
        try assertCoreutilsDigests(reader.hasher.digests(of: again), of: path)
        reader.release()
    }

    /// Hashing without keeping the bytes (no module reads them) streams through a small buffer.
    func testStreamedDigestsEqualCoreutils() throws {
        let (path, bytes) = try makeFile(size: 2 * ContentReader.chunk + 99)
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        let reader = ContentReader(mapLargeFiles: false)
        let head = try reader.readHead(fd: fd, count: 1000)
        let (count, digests) = try reader.hashStream(fd: fd, headCount: head.count, size: bytes.count)
        XCTAssertEqual(count, bytes.count)
        try assertCoreutilsDigests(digests, of: path)
        let (fromStart, same) = try reader.hashStream(fd: fd, headCount: 0, size: bytes.count)
        XCTAssertEqual(fromStart, bytes.count)
        XCTAssertEqual(same, digests)
    }

    func testKnownDigestsOfTheEmptyInput() {
        let d = Hasher().digests(of: UnsafeRawBufferPointer(start: nil, count: 0))
        XCTAssertEqual(d.md5.hexString, "d41d8cd98f00b204e9800998ecf8427e")
        XCTAssertEqual(d.sha1.hexString, "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        XCTAssertEqual(d.sha256.hexString, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
