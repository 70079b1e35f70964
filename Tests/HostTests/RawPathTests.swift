import Foundation
import Host
import TestSupport
import XCTest

/// File names are bytes: every name survives the trip through a path string and back, and the
/// logs show the bytes that are not UTF-8 as \xNN.
final class RawPathTests: XCTestCase {
    private let names: [(bytes: [UInt8], display: String)] = [
        (Array("plain.exe".utf8), "plain.exe"),
        (Array("café-中.txt".utf8), "café-中.txt"),
        ([0x62, 0x61, 0x64, 0xFF, 0xFE, 0x2E, 0x65], "bad\\xff\\xfe.e"),        // bytes no UTF-8 has
        ([0x64, 0x69, 0x72, 0xC3, 0x28], "dir\\xc3("),                        // a lead byte without its continuation
        ([0x61, 0xE2, 0x82], "a\\xe2\\x82"),                                    // cut short at the end
        ([0xC0, 0xAF], "\\xc0\\xaf"),                                           // overlong "/"
        ([0xED, 0xA0, 0x80], "\\xed\\xa0\\x80"),                                 // a UTF-16 surrogate
        (Array("x\u{F7FF}y".utf8), "x\\xef\\x9f\\xbfy"),                         // a real scalar of the escape range
        (Array("x\u{F700}y".utf8), "x\u{F700}y"),                               // just below it: itself
    ]

    func testEveryNameComesBackAsItsBytes() {
        for (bytes, display) in names {
            let path = RawPath.string(bytes)
            XCTAssertEqual(RawPath.cString(path).map { UInt8(bitPattern: $0) }, bytes + [0], display)
            XCTAssertEqual(RawPath.display(path), display)
            RawPath.withCString(path) { XCTAssertEqual(strlen($0), bytes.count, display) }
        }
        // Valid names are their own path strings: nothing to decode on the common path.
        XCTAssertEqual(RawPath.string(Array("café-中.txt".utf8)), "café-中.txt")
        XCTAssertFalse(RawPath.isEscaped("café-中.txt"))
    }

    /// A file whose name, or whose folder's name, is not UTF-8 is scanned, not skipped with an error.
    func testFilesWithNamesThatAreNotUTF8AreScanned() throws {
        let tree = try temporaryFolder("odd-names").path
        let folder = Array((tree + "/dir").utf8) + [0xC3, 0x28]
        XCTAssertEqual(mkdir(folder.map { CChar(bitPattern: $0) } + [0], 0o755), 0)
        for name in [Array((tree + "/bad").utf8) + [0xFF, 0xFE] + Array(".txt".utf8), folder + Array("/notes.txt".utf8)] {
            let fd = open(name.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT, 0o644)
            XCTAssertGreaterThanOrEqual(fd, 0)
            let text = Array("mimikatz # sekurlsa::logonpasswords\n".utf8)
            XCTAssertEqual(write(fd, text, text.count), text.count)
            close(fd)
        }
        let plugins = try temporaryFolder("plugins").path
        try CModule.build(CModule.exampleModuleSource, named: "strings-example", into: plugins)
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree, "--nolog"])
        XCTAssertEqual(run.status, 1, run.stdout)
        XCTAssertTrue(run.stdout.contains(" FILE: \(tree)/bad\\xff\\xfe.txt "), run.stdout)
        XCTAssertTrue(run.stdout.contains(" FILE: \(tree)/dir\\xc3(/notes.txt "), run.stdout)
        XCTAssertTrue(run.stdout.contains(" ALERTS: 2 ") && run.stdout.contains(" ERRORS: 0 ") && run.stdout.contains(" FILES: 2 "), run.stdout)
    }
}
