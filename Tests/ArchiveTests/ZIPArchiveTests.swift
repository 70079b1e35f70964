import ArchiveFormats
import Foundation
import TestSupport
import XCTest

/// The ZIP reader on archives written by Python's zipfile (stored and deflated members), and on
/// damaged, truncated and mutated ones: it refuses or yields less, never reads outside the bytes.
final class ZIPArchiveTests: XCTestCase {
    static func makeZIP(_ members: [(String, Data, Bool)], in folder: String) throws -> Data {
        try ZIPMaker.make(members, at: folder + "/made.zip")
    }

    /// Every readable member's bytes, or the error of the archive.
    private func members(of zip: Data, limit: Int = 1 << 20) -> Result<[(String, [UInt8]?)], Error> {
        zip.withUnsafeBytes { bytes in
            Result {
                let archive = try ZIPArchive(bytes)
                return archive.entries.map { entry in
                    guard ZIPArchive.unreadable(entry) == nil, let stored = try? archive.storedBytes(of: entry) else { return (entry.name, nil) }
                    let content = entry.method == 0 ? Array(stored) : try? Inflater.inflate(stored, expected: entry.size, limit: limit)
                    return (entry.name, content)
                }
            }
        }
    }

    func testStoredAndDeflatedMembers() throws {
        let folder = try temporaryFolder("zip").path
        let text = Data(String(repeating: "mimikatz # sekurlsa::logonpasswords\n", count: 200).utf8)
        let binary = Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let zip = try Self.makeZIP([("docs/notes.txt", text, true), ("bin/tool", binary, false), ("empty", Data(), true)], in: folder)
        let read = try members(of: zip).get()
        XCTAssertEqual(read.map(\.0), ["docs/notes.txt", "bin/tool", "empty"])
        XCTAssertEqual(read.map { $0.1 }, [Array(text), Array(binary), []])
        try zip.withUnsafeBytes { bytes in
            let entries = try ZIPArchive(bytes).entries
            XCTAssertEqual(entries.map(\.method), [8, 0, 8])
            XCTAssertEqual(entries.map(\.size), [text.count, binary.count, 0])
            XCTAssertLessThan(entries[0].compressedSize, text.count / 10)
        }
    }

    func testWhatIsNotAZIP() {
        for bytes in [Data(), Data(count: 21), Data("PK\u{3}\u{4} but no directory".utf8), Data(count: 100_000)] {
            XCTAssertThrowsError(try bytes.withUnsafeBytes { try ZIPArchive($0) }) { error in
                XCTAssertEqual(error as? ZIPArchive.Failure, .notAnArchive)
            }
        }
    }

    /// A directory said to lie beyond the end record, and an entry running past the directory.
    func testDirectoryOutsideTheFileIsRefused() throws {
        let folder = try temporaryFolder("zip").path
        var zip = try Self.makeZIP([("a.txt", Data("hello".utf8), false)], in: folder)
        let end = zip.count - 22
        zip[end + 16] = 0xFF // the directory's offset, now far beyond the file
        XCTAssertThrowsError(try zip.withUnsafeBytes { try ZIPArchive($0) }) { error in
            guard case .corrupt? = error as? ZIPArchive.Failure else { return XCTFail("\(error)") }
        }
    }

    /// Every prefix of an archive: none crashes; a cut one is refused, or yields members whose data
    /// is refused when it is cut.
    func testEveryTruncation() throws {
        let folder = try temporaryFolder("zip").path
        let zip = try Self.makeZIP([("one.txt", Data(String(repeating: "one ", count: 300).utf8), true),
                                    ("two.bin", Data(count: 700), false)], in: folder)
        for length in 0..<zip.count {
            if case .success(let read) = members(of: zip.prefix(length)) {
                // A prefix that still ends in an end record is only possible for a zip with a comment: none here.
                XCTFail("prefix of \(length) bytes read as \(read.map(\.0))")
            }
        }
    }

    /// Randomly damaged archives (seeded: every run tries the same ones): no crash, and no member
    /// larger than the limit however its header lies.
    func testMutatedArchives() throws {
        let folder = try temporaryFolder("zip").path
        let original = try Self.makeZIP([("a.txt", Data(String(repeating: "alpha beta ", count: 500).utf8), true),
                                         ("b/c.bin", Data((0..<3000).map { UInt8(truncatingIfNeeded: $0) }), false),
                                         ("d.txt", Data("short".utf8), true)], in: folder)
        var random = SeededGenerator(state: 0x5A1F_2026)
        var readMembers = 0
        for _ in 0..<3000 {
            var zip = original
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                let at = Int.random(in: 0..<zip.count, using: &random)
                zip[at] = UInt8.random(in: 0...255, using: &random)
            }
            if case .success(let read) = members(of: zip, limit: 64 << 10) {
                for (_, content) in read { XCTAssertLessThanOrEqual(content?.count ?? 0, 64 << 10) }
                readMembers += read.filter { $0.1 != nil }.count
            }
        }
        XCTAssertGreaterThan(readMembers, 1000, "most mutations leave members readable")
    }

    /// 64 MiB of zeros deflate to 64 KiB: the inflater stops at its limit, whatever the header says.
    func testInflationStopsAtTheLimit() throws {
        let folder = try temporaryFolder("zip").path
        let zip = try Self.makeZIP([("zeros", Data(count: 64 << 20), true)], in: folder)
        XCTAssertLessThan(zip.count, 200 << 10)
        try zip.withUnsafeBytes { bytes in
            let archive = try ZIPArchive(bytes)
            let entry = try XCTUnwrap(archive.entries.first)
            // A header that understates the size does not raise the limit.
            XCTAssertThrowsError(try Inflater.inflate(try archive.storedBytes(of: entry), expected: 10, limit: 1 << 20)) { error in
                XCTAssertEqual(error as? Inflater.Failure, .tooLarge(limit: 1 << 20))
            }
            XCTAssertEqual(try Inflater.inflate(try archive.storedBytes(of: entry), expected: entry.size, limit: 64 << 20).count, 64 << 20)
        }
    }

    func testEncryptedMembersAreNotRead() throws {
        let folder = try temporaryFolder("zip").path
        var zip = try Self.makeZIP([("secret.txt", Data("x".utf8), false)], in: folder)
        // The encryption flag of the one central directory entry.
        let directory = Int(zip[zip.count - 6]) | Int(zip[zip.count - 5]) << 8
        zip[directory + 8] |= 1
        let entries = try zip.withUnsafeBytes { try ZIPArchive($0).entries }
        XCTAssertEqual(entries.map(ZIPArchive.unreadable), ["encrypted"])
    }

    /// More than 65,535 members: the classic end record is full and the ZIP64 one counts them.
    func testZIP64EndRecord() throws {
        let folder = try temporaryFolder("zip64").path
        let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], 'w')\nfor i in range(70000): z.writestr('m%d' % i, 'x%d' % i)\nz.close()\n"
        let run = try ChildProcess.run("/usr/bin/python3", ["-c", script, folder + "/many.zip"])
        XCTAssertEqual(run.status, 0, run.stderr)
        var zip = try Data(contentsOf: URL(fileURLWithPath: folder + "/many.zip"))
        XCTAssertEqual(zip[(zip.count - 12)..<(zip.count - 10)], Data([0xFF, 0xFF]), "the classic record's count is full")
        // Writers may fill the directory's size and offset too when the ZIP64 record has them.
        zip.replaceSubrange((zip.count - 10)..<(zip.count - 2), with: [UInt8](repeating: 0xFF, count: 8))
        let read = try members(of: zip).get()
        XCTAssertEqual(read.count, 70000)
        XCTAssertEqual(read.last?.0, "m69999")
        XCTAssertEqual(read.last?.1, Array("x69999".utf8))
    }

    /// A member whose sizes are in the ZIP64 extra field (written by hand: zipfile writes that
    /// field only for members over 4 GiB).
    func testZIP64SizesInTheExtraField() throws {
        let content = Array("mimikatz".utf8)
        func le(_ value: UInt64, _ bytes: Int) -> [UInt8] { (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) } }
        let name = Array("a.txt".utf8)
        var zip = le(0x0403_4B50, 4) + le(45, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4)
            + le(0xFFFF_FFFF, 4) + le(0xFFFF_FFFF, 4) + le(UInt64(name.count), 2) + le(0, 2) + name + content
        let directory = zip.count
        let extra = le(1, 2) + le(16, 2) + le(UInt64(content.count), 8) + le(UInt64(content.count), 8)
        zip += le(0x0201_4B50, 4) + le(45, 2) + le(45, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4)
            + le(0xFFFF_FFFF, 4) + le(0xFFFF_FFFF, 4) + le(UInt64(name.count), 2) + le(UInt64(extra.count), 2) + le(0, 2)
            + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4) + name + extra
        let directorySize = zip.count - directory
        zip += le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(1, 2) + le(1, 2) + le(UInt64(directorySize), 4) + le(UInt64(directory), 4) + le(0, 2)
        let read = try members(of: Data(zip)).get()
        XCTAssertEqual(read.map(\.0), ["a.txt"])
        XCTAssertEqual(read.first?.1, content)
    }
}
