import Foundation
import PluginKit
import TestSupport
import XCTest

final class SignatureFolderTests: XCTestCase {
    private var scratch: TemporaryFolder!

    override func setUpWithError() throws {
        scratch = try temporaryFolder("signature-folder")
    }

    private func folder(_ name: String, files: [String]) throws -> String {
        for file in files { try scratch.write(name + "/" + file, "x") }
        return scratch.path + "/" + name
    }

    func testFilesInByteOrderPerFolderWithoutHiddenNamesFoldersOrRepeats() throws {
        // Byte order puts upper case and '-' before lower case, and "é" (0xC3…) after 'z'.
        let a = try folder("a", files: ["b.txt", "B.txt", "a-x.txt", "a.txt", ".hidden.txt", "é.txt", "z.txt", "skip.csv"])
        try FileManager.default.createDirectory(atPath: a + "/folder.txt", withIntermediateDirectories: true)
        let b = try folder("b", files: ["0.txt"])
        let files = SignatureFolder.files(in: [b, a + "/", scratch.path + "/missing", b]) { $0.hasSuffix(".txt") }
        XCTAssertEqual(files.map(\.name), ["0.txt", "B.txt", "a-x.txt", "a.txt", "b.txt", "z.txt", "é.txt"])
        XCTAssertEqual(files.map(\.path), [b + "/0.txt"] + ["B", "a-x", "a", "b", "z", "é"].map { a + "/" + $0 + ".txt" })
    }

    func testTagNeedsANonWordCharacterOnBothSides() {
        XCTAssertTrue(SignatureFolder.fileName("c2-iocs.txt", hasTag: "c2"), "the folder separator precedes the name")
        XCTAssertTrue(SignatureFolder.fileName("my-c2.txt", hasTag: "c2"))
        XCTAssertTrue(SignatureFolder.fileName("x c2 y", hasTag: "c2"))
        XCTAssertTrue(SignatureFolder.fileName("My-C2-IOCs.TXT", hasTag: "c2"), "ASCII case is ignored")
        XCTAssertTrue(SignatureFolder.fileName("x-hash", hasTag: "x"))
        XCTAssertFalse(SignatureFolder.fileName("x-c2", hasTag: "c2"), "a character must follow the tag")
        XCTAssertFalse(SignatureFolder.fileName("c2", hasTag: "c2"))
        XCTAssertFalse(SignatureFolder.fileName("myc2iocs.txt", hasTag: "c2"))
        XCTAssertFalse(SignatureFolder.fileName("my_c2_iocs.txt", hasTag: "c2"), "'_' is a word character")
        XCTAssertFalse(SignatureFolder.fileName("c29.txt", hasTag: "c2"))
        XCTAssertTrue(SignatureFolder.fileName("é-c2é.txt", hasTag: "c2"), "non-ASCII bytes are non-word characters")
    }

    func testFirstTagFollowsTheListOrder() {
        let tags: [(tag: String, value: Int)] = [("falsepositive-hashes", 1), ("hashes", 2), ("c2", 3)]
        XCTAssertEqual(SignatureFolder.firstTag(of: "my-falsepositive-hashes.txt", in: tags), 1)
        XCTAssertEqual(SignatureFolder.firstTag(of: "c2-and-hashes.txt", in: tags), 2)
        XCTAssertNil(SignatureFolder.firstTag(of: "notes.txt", in: tags))
    }
}
