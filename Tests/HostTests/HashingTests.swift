import XCTest
@testable import Host

final class HashingTests: XCTestCase {
    /// The one-read path (head, then the rest in 1 MiB chunks) against coreutils on a multi-chunk file.
    func testContentReaderDigestsEqualCoreutils() throws {
        let dir = try Support.temporaryDirectory()
        let path = dir + "/data.bin"
        var state: UInt32 = 2_463_534_242
        let bytes = (0..<(3 * 1_048_576 + 12345)).map { _ -> UInt8 in
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            return UInt8(truncatingIfNeeded: state)
        }
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        let reader = ContentReader()
        let head = try reader.readHead(fd: fd, count: 65536)
        XCTAssertEqual(head.count, 65536)
        let (content, digests) = try reader.readRest(fd: fd, headCount: head.count, size: bytes.count)
        XCTAssertEqual(content.count, bytes.count)
        XCTAssertTrue(content.elementsEqual(bytes))
        for (tool, digest) in [("md5sum", digests.md5), ("sha1sum", digests.sha1), ("sha256sum", digests.sha256)] {
            let out = try Support.run("/usr/bin/\(tool)", [path]).stdout
            XCTAssertEqual(digest.hexString, String(out.prefix { $0 != " " }), tool)
        }
    }

    func testKnownDigestsOfTheEmptyInput() {
        let d = Hasher().digests(of: UnsafeRawBufferPointer(start: nil, count: 0))
        XCTAssertEqual(d.md5.hexString, "d41d8cd98f00b204e9800998ecf8427e")
        XCTAssertEqual(d.sha1.hexString, "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        XCTAssertEqual(d.sha256.hexString, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
