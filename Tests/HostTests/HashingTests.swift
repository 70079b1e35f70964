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

    private var availableEngines: [Hasher.Engine] { Hasher.Engine.allCases.filter(\.isAvailable) }

    func testKnownDigestsOfTheEmptyInputAndOfABC() {
        for engine in availableEngines {
            let hasher = Hasher(engine: engine)
            let empty = hasher.digests(of: UnsafeRawBufferPointer(start: nil, count: 0))
            XCTAssertEqual(empty.md5.hexString, "d41d8cd98f00b204e9800998ecf8427e", "\(engine)")
            XCTAssertEqual(empty.sha1.hexString, "da39a3ee5e6b4b0d3255bfef95601890afd80709", "\(engine)")
            XCTAssertEqual(empty.sha256.hexString, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "\(engine)")
            let abc = Array("abc".utf8).withUnsafeBytes { hasher.digests(of: $0) }
            XCTAssertEqual(abc.md5.hexString, "900150983cd24fb0d6963f7d28e17f72", "\(engine)")
            XCTAssertEqual(abc.sha1.hexString, "a9993e364706816aba3e25717850c26c9cd0d89d", "\(engine)")
            XCTAssertEqual(abc.sha256.hexString, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "\(engine)")
        }
    }

    /// The interleaved engine against libcrypto for every length up to three blocks past a padding
    /// boundary and a few large ones, each fed whole and in uneven pieces (a piece ending inside a
    /// block, one spanning blocks), with one hasher reused throughout as the workers do.
    func testInterleavedEngineEqualsLibcryptoForEveryLengthAndSplit() throws {
        guard Hasher.Engine.interleaved.isAvailable else {
            throw XCTSkip("this CPU lacks the SHA extensions the interleaved engine needs; libcrypto is used")
        }
        XCTAssertEqual(Hasher().engine, .interleaved)
        var state: UInt32 = 88_172_645
        let bytes = (0..<(1 << 20) + 333).map { _ -> UInt8 in
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            return UInt8(truncatingIfNeeded: state)
        }
        let interleaved = Hasher(engine: .interleaved)
        let reference = Hasher(engine: .libcrypto)
        bytes.withUnsafeBytes { all in
            for length in Array(0...260) + [4095, 4096, 65_537, 1 << 20, all.count] {
                let input = UnsafeRawBufferPointer(rebasing: all[7..<(7 + min(length, all.count - 7))])
                let expected = reference.digests(of: input)
                XCTAssertEqual(interleaved.digests(of: input), expected, "length \(input.count) whole")
                for cut in Set([1, 63, 64, 65, input.count / 3]) where cut < input.count {
                    interleaved.reset()
                    interleaved.update(UnsafeRawBufferPointer(rebasing: input[..<cut]))
                    interleaved.update(UnsafeRawBufferPointer(rebasing: input[cut...]))
                    XCTAssertEqual(interleaved.finish(), expected, "length \(input.count) cut at \(cut)")
                }
            }
        }
    }
}
