import ArchiveFormats
import Foundation
import TestSupport
import XCTest

/// 7-Zip archives and bzip2/xz files, written by bsdtar, bzip2 and xz, read through libarchive;
/// damaged ones end early or are refused, never read beyond the limit.
final class LibArchiveReaderTests: XCTestCase {
    private func members(_ data: Data, kind: LibArchiveReader.Kind, limit: Int = 1 << 20) throws -> [String: [UInt8]] {
        var found: [String: [UInt8]] = [:]
        try data.withUnsafeBytes { bytes in
            try LibArchiveReader.forEachMember(in: bytes, kind: kind, limit: limit) { member in
                switch member {
                case .file(let name, let bytes): found[name] = bytes
                case .skipped(let name, let reason): found[name + " skipped: " + reason] = []
                }
                return true
            }
        }
        return found
    }

    /// `files` written into `folder`, then `command` run there; returns the file it made.
    private func make(_ files: [(String, Data)], in folder: String, _ command: String, output: String) throws -> Data {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/bsdtar") else { throw XCTSkip("needs bsdtar (libarchive-tools)") }
        for (name, data) in files {
            let path = folder + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: path))
        }
        let run = try ChildProcess.run("/bin/sh", ["-c", "cd '\(folder)' && " + command])
        XCTAssertEqual(run.status, 0, run.stderr)
        return try Data(contentsOf: URL(fileURLWithPath: folder + "/" + output))
    }

    private let text = Data(String(repeating: "mimikatz # sekurlsa::logonpasswords\n", count: 50).utf8)
    private let blob = Data((0..<40_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })

    func testSevenZipMembers() throws {
        let folder = try temporaryFolder("7z").path
        let archive = try make([("docs/notes.txt", text), ("bin/blob", blob)], in: folder, "bsdtar --format 7zip -cf x.7z docs bin", output: "x.7z")
        XCTAssertEqual(try members(archive, kind: .archive), ["docs/notes.txt": Array(text), "bin/blob": Array(blob)])
        // The limit holds whatever the archive says: the larger member is skipped, the other read.
        XCTAssertEqual(try members(archive, kind: .archive, limit: 10_000),
                       ["docs/notes.txt": Array(text), "bin/blob skipped: larger than 10000 bytes": []])
    }

    /// CAB, written by gcab (MSZIP-compressed), through the same path as 7-Zip and RAR.
    func testCabinetMembers() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/gcab") else { throw XCTSkip("needs gcab") }
        let folder = try temporaryFolder("cab").path
        let cab = try make([("notes.txt", text), ("blob", blob)], in: folder, "gcab -c -z x.cab notes.txt blob", output: "x.cab")
        XCTAssertEqual(try members(cab, kind: .archive), ["notes.txt": Array(text), "blob": Array(blob)])
    }

    func testCompressedFilesHoldOneMember() throws {
        let folder = try temporaryFolder("bz").path
        for (command, output) in [("bzip2 -k notes.txt", "notes.txt.bz2"), ("xz -k notes.txt", "notes.txt.xz")] {
            let data = try make([("notes.txt", text)], in: folder, command, output: output)
            XCTAssertEqual(try members(data, kind: .compressedFile).values.map(Array.init), [Array(text)], output)
        }
        XCTAssertEqual(CompressedName.member(of: "x.tar.bz2"), "x.tar")
        XCTAssertEqual(CompressedName.member(of: "x.tbz2"), "x.tar")
        XCTAssertEqual(CompressedName.member(of: "x.txz"), "x.tar")
        XCTAssertEqual(CompressedName.member(of: "notes.XZ"), "notes")
        XCTAssertEqual(CompressedName.member(of: ".gz"), ".gz.unpacked")
    }

    /// Cut, mutated and foreign bytes: refused or ended early, no crash, nothing over the limit.
    func testDamagedInput() throws {
        let folder = try temporaryFolder("7z").path
        let archive = try make([("a.txt", text), ("b.bin", blob)], in: folder, "bsdtar --format 7zip -cf x.7z a.txt b.bin", output: "x.7z")
        XCTAssertThrowsError(try members(Data("not an archive at all".utf8), kind: .archive))
        XCTAssertThrowsError(try members(Data("BZh9 but no stream".utf8), kind: .compressedFile))
        // A cut archive is refused or yields members as they were, never cut ones.
        let whole = ["a.txt": Array(text), "b.bin": Array(blob)]
        for length in stride(from: 0, to: archive.count, by: 97) {
            guard let read = try? members(archive.prefix(length), kind: .archive) else { continue }
            XCTAssertTrue(read.allSatisfy { whole[$0.key] == $0.value }, "cut at \(length): \(read.keys.sorted())")
        }
        var random = SeededGenerator(state: 0x7219)
        for _ in 0..<500 {
            var bytes = archive
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            if let read = try? members(bytes, kind: .archive, limit: 64 << 10) {
                XCTAssertTrue(read.values.allSatisfy { $0.count <= 64 << 10 })
            }
        }
    }
}
