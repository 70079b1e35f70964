import ArchiveFormats
import Foundation
import TestSupport
import XCTest

/// The TAR reader and gzip naming on archives written by GNU tar and gzip, and on damaged ones.
final class TARAndGZIPTests: XCTestCase {
    /// A tar of `files` (relative name, content) made by GNU tar in `folder`; `extra` are tar options.
    private func makeTAR(_ files: [(String, Data)], in folder: String, extra: [String] = []) throws -> Data {
        let root = folder + "/root"
        for (name, data) in files {
            let path = root + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: path))
        }
        let run = try ChildProcess.run("/usr/bin/tar", ["-C", root, "-cf", folder + "/made.tar"] + extra + files.map(\.0))
        XCTAssertEqual(run.status, 0, run.stderr)
        return try Data(contentsOf: URL(fileURLWithPath: folder + "/made.tar"))
    }

    private func read(_ tar: Data) throws -> (members: [String: [UInt8]], damagedAt: Int?) {
        try tar.withUnsafeBytes { bytes in
            let archive = try TARArchive(bytes)
            var members: [String: [UInt8]] = [:]
            for m in archive.members { members[m.name] = Array(bytes[m.offset..<(m.offset + m.size)]) }
            return (members, archive.damagedAt)
        }
    }

    func testGNUTarMembersWithLongNames() throws {
        let long = String(repeating: "deep/", count: 30) + "notes.txt" // beyond the 100 bytes of a name field
        let files: [(String, Data)] = [("a.txt", Data("alpha".utf8)), (long, Data("mimikatz".utf8)),
                                       ("bin/blob", Data((0..<1500).map { UInt8(truncatingIfNeeded: $0) })), ("empty", Data())]
        for format in ["gnu", "ustar", "pax"] {
            let names = format == "ustar" ? files.filter { $0.0 != long } : files
            let tar = try makeTAR(names, in: try temporaryFolder("tar-\(format)").path, extra: ["--format=\(format)"])
            let read = try read(tar)
            XCTAssertNil(read.damagedAt, format)
            XCTAssertEqual(read.members.keys.sorted(), names.map(\.0).sorted(), format)
            for (name, data) in names { XCTAssertEqual(read.members[name], Array(data), "\(format) \(name)") }
        }
    }

    /// A cut archive yields the members before the cut and says where it stopped.
    func testTruncatedAndDamagedTar() throws {
        let folder = try temporaryFolder("tar").path
        let tar = try makeTAR([("one", Data(repeating: 1, count: 700)), ("two", Data(repeating: 2, count: 700))], in: folder)
        let cut = try read(tar.prefix(512 + 1024 + 512 + 100))
        XCTAssertEqual(cut.members.keys.sorted(), ["one"])
        XCTAssertEqual(cut.damagedAt, 1536)
        var damaged = tar
        damaged[1536 + 10] ^= 0x20 // the second header's name: its checksum no longer matches
        XCTAssertEqual(try read(damaged).damagedAt, 1536)
        // Every cut: refused, or only whole members as they were (no member runs past the cut).
        for length in stride(from: 0, to: tar.count, by: 37) {
            guard let cut = try? read(tar.prefix(length)) else { continue }
            XCTAssertTrue(cut.members.allSatisfy { $0.value == Array(repeating: $0.key == "one" ? 1 : 2, count: 700) }, "cut at \(length)")
            // A member is whole once its 700 bytes are there (the padding after them is not needed).
            XCTAssertEqual(cut.members.count, length >= 512 + 1024 + 512 + 700 ? 2 : length >= 512 + 700 ? 1 : 0, "cut at \(length)")
        }
        XCTAssertThrowsError(try Data(count: 1024).withUnsafeBytes { try TARArchive($0) })
    }

    /// Seeded random damage: no crash, every member inside the bytes.
    func testMutatedTar() throws {
        let folder = try temporaryFolder("tar").path
        let tar = try makeTAR([("a", Data(repeating: 7, count: 900)), ("b/c", Data("x".utf8))], in: folder)
        var random = SeededGenerator(state: 0x7A2)
        for _ in 0..<3000 {
            var bytes = tar
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                bytes[Int.random(in: 0..<1024, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            bytes.withUnsafeBytes { raw in
                guard let archive = try? TARArchive(raw) else { return }
                for m in archive.members { XCTAssertLessThanOrEqual(m.offset + m.size, raw.count) }
            }
        }
    }

    func testGzipMemberNames() throws {
        let folder = try temporaryFolder("gz").path
        try Data("payload".utf8).write(to: URL(fileURLWithPath: folder + "/inner name.tar"))
        XCTAssertEqual(try ChildProcess.run("/bin/gzip", ["-k", folder + "/inner name.tar"]).status, 0)
        let named = try Data(contentsOf: URL(fileURLWithPath: folder + "/inner name.tar.gz"))
        named.withUnsafeBytes { XCTAssertEqual(GZIPFile.memberName($0, archiveName: "renamed.gz"), "inner name.tar") }
        // Without FNAME (gzip -n), the name comes from the gzip file's.
        let bare = try ChildProcess.run("/bin/sh", ["-c", "gzip -n -c '\(folder)/inner name.tar' > '\(folder)/bare.tgz'"])
        XCTAssertEqual(bare.status, 0, bare.stderr)
        let unnamed = try Data(contentsOf: URL(fileURLWithPath: folder + "/bare.tgz"))
        unnamed.withUnsafeBytes { bytes in
            XCTAssertEqual(GZIPFile.memberName(bytes, archiveName: "bare.tgz"), "bare.tar")
            XCTAssertEqual(GZIPFile.memberName(bytes, archiveName: "x.gz"), "x")
            XCTAssertEqual(try? Inflater.inflate(bytes, format: .gzip, expected: 1, limit: 100), Array("payload".utf8))
        }
        // A header naming a path keeps only its last element.
        var header: [UInt8] = [0x1F, 0x8B, 8, 0x08, 0, 0, 0, 0, 0, 3] + Array("../../etc/passwd".utf8) + [0] + [UInt8](repeating: 0, count: 10)
        header.withUnsafeBytes { XCTAssertEqual(GZIPFile.memberName($0, archiveName: "a.gz"), "passwd") }
        header[3] = 0x0C // FEXTRA too, whose length ("..") runs past the end: no stored name
        header.withUnsafeBytes { XCTAssertEqual(GZIPFile.memberName($0, archiveName: "a.gz"), "a") }
    }

    /// 64 MiB of zeros gzipped: stopped at the limit, whatever the size trailer says.
    func testGzipInflationStopsAtTheLimit() throws {
        let folder = try temporaryFolder("gz").path
        let made = try ChildProcess.run("/bin/sh", ["-c", "head -c 67108864 /dev/zero | gzip -c > '\(folder)/bomb.gz'"])
        XCTAssertEqual(made.status, 0, made.stderr)
        let bomb = try Data(contentsOf: URL(fileURLWithPath: folder + "/bomb.gz"))
        XCTAssertLessThan(bomb.count, 200 << 10)
        try bomb.withUnsafeBytes { bytes in
            XCTAssertThrowsError(try Inflater.inflate(bytes, format: .gzip, expected: 64 << 20, limit: 1 << 20)) { error in
                XCTAssertEqual(error as? Inflater.Failure, .tooLarge(limit: 1 << 20))
            }
        }
    }
}
