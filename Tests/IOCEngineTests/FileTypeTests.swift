import TestSupport
import XCTest
@testable import IOCEngine

final class FileTypeTests: XCTestCase {
    func testTagInFileName() {
        XCTAssertEqual(IOCFileType.of(fileNamed: "hash-iocs.txt"), .hash)
        XCTAssertEqual(IOCFileType.of(fileNamed: "my-hashes.txt"), .hash)
        XCTAssertEqual(IOCFileType.of(fileNamed: "filename-iocs.txt"), .filename)
        XCTAssertEqual(IOCFileType.of(fileNamed: "keywords.txt"), .keyword)
        XCTAssertEqual(IOCFileType.of(fileNamed: "mysource-c2-iocs.txt"), .c2)
        XCTAssertEqual(IOCFileType.of(fileNamed: "dec15-batch1-c2-indicators.txt"), .c2)
        XCTAssertEqual(IOCFileType.of(fileNamed: "bad-domains.txt"), .c2)
        XCTAssertEqual(IOCFileType.of(fileNamed: "my-falsepositive-hashes.txt"), .falsePositiveHash)
        XCTAssertEqual(IOCFileType.of(fileNamed: "trusted-hash.txt"), .falsePositiveHash)
        XCTAssertNil(IOCFileType.of(fileNamed: "myc2iocs.txt"), "the tag needs non-word characters around it")
        XCTAssertNil(IOCFileType.of(fileNamed: "my_hash_iocs.txt"), "'_' is a word character")
        XCTAssertNil(IOCFileType.of(fileNamed: "README.txt"))
    }

    func testFolderLoadTypesFilesAndReportsUntypedOnes() throws {
        let dir = try temporaryFolder()
        try dir.write("a-hash-iocs.txt", "0123456789abcdef0123456789abcdef;test\n")
        try dir.write("b-c2-iocs.txt", "evil-c2.example\n")
        let untyped = try dir.write("notes.txt", "nothing\n")
        let encrypted = try dir.write("x-hash-iocs.dat", "??")
        try dir.write("ignored.csv", "1,2")
        let set = IOCSet(directories: [dir.path])
        XCTAssertEqual(set.files.map(\.type), [.hash, .c2])
        XCTAssertEqual(set.diagnostics.map(\.file), [untyped, encrypted])
        XCTAssertEqual(set.hashes.indicators.count, 1)
        XCTAssertEqual(set.c2.iocs.count, 1)
    }
}
