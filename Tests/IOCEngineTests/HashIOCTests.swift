import TestSupport
import XCTest
@testable import IOCEngine

final class HashIOCTests: XCTestCase {
    func testDigestTextIsParsedIntoItsExactValue() throws {
        let sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        let parsed = try XCTUnwrap(HashDigest(hex: " \t\(sha256.uppercased())\t "))
        XCTAssertEqual(parsed.kind, .sha256)
        XCTAssertEqual(parsed.words.0, 0xe3b0_c442_98fc_1c14)
        XCTAssertEqual(parsed.words.3, 0xa495_991b_7852_b855)
        XCTAssertEqual(parsed, HashDigest(hex: sha256))
        XCTAssertEqual(HashDigest(hex: "d41d8cd98f00b204e9800998ecf8427e")?.words.1, 0xe980_0998_ecf8_427e)
        XCTAssertEqual(HashDigest(hex: "d41d8cd98f00b204e9800998ecf8427e")?.words.2, 0)
        XCTAssertNotEqual(HashDigest(hex: String(repeating: "0", count: 32)), HashDigest(hex: String(repeating: "0", count: 40)),
                          "the same words, another kind")
        for bad in ["", "abc", String(sha256.dropLast()), String(sha256.prefix(30)), "g" + sha256.dropFirst(), sha256 + "00"] {
            XCTAssertNil(HashDigest(hex: bad), bad)
        }
    }

    /// A file made here: its hashes (computed with coreutils) go into a custom IOC file.
    func testHashesOfAFileMadeInTheTest() throws {
        let dir = try temporaryFolder()
        let sample = try dir.write("sample.bin", "thor hash ioc sample \(UUID().uuidString)\n")
        func digest(_ tool: String) throws -> String { try ChildProcess.digest(tool, of: sample) }
        let md5 = try digest("md5sum"), sha1 = try digest("sha1sum"), sha256 = try digest("sha256sum")
        XCTAssertEqual([md5.count, sha1.count, sha256.count], [32, 40, 64])
        let iocs = try dir.write("custom-hash-iocs.txt", """
            # comment lines are skipped
            \(sha256.uppercased());Test sample by SHA256
            \(sha1);80;Test sample by SHA1;with a semicolon
            0000000000000000000000000000000000000000000000000000000000000001;only a hash elsewhere

            """)
        let set = IOCSet(directories: [dir.path])
        XCTAssertEqual(set.diagnostics, [])
        XCTAssertEqual(set.hashes.indicators.count, 3)
        guard case .match(let hits) = set.hashes.lookup([md5, sha1, sha256]) else { return XCTFail("no match") }
        XCTAssertEqual(hits, [
            HashIOC(hash: sha1, score: 80, comment: "Test sample by SHA1;with a semicolon", file: iocs),
            HashIOC(hash: sha256, score: 100, comment: "Test sample by SHA256", file: iocs),
        ])
        XCTAssertEqual(set.hashes.lookup([md5]), .none)
    }

    func testFalsePositiveListWinsAndMalformedLinesAreReported() throws {
        let dir = try temporaryFolder()
        let md5 = "5d41402abc4b2a76b9719d911017c592"
        let iocs = try dir.write("x-hash-iocs.txt", """
            \(md5);Bad thing
            nothex0123456789abcdef0123456789;broken
            0123456789abcdef;too short
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855;empty file
            aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;500;score out of range
            bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb;-20;negative score is allowed
            """)
        let fps = try dir.write("y-falsepositive-hashes.txt", "\(md5.uppercased());known good build\n")
        let set = IOCSet(directories: [dir.path])
        XCTAssertEqual(set.diagnostics, [
            IOCDiagnostic(file: iocs, line: 2, message: "not an MD5, SHA1 or SHA256 hash: \"nothex0123456789abcdef0123456789\""),
            IOCDiagnostic(file: iocs, line: 3, message: "not an MD5, SHA1 or SHA256 hash: \"0123456789abcdef\""),
            IOCDiagnostic(file: iocs, line: 4, message: "hash of the empty file ignored"),
            IOCDiagnostic(file: iocs, line: 5, message: "score 500 outside -100...100"),
        ])
        XCTAssertEqual(set.hashes.lookup([md5]), .falsePositive(HashIOC(hash: md5, score: -100, comment: "known good build", file: fps)))
        guard case .match(let hits) = set.hashes.lookup([String(repeating: "b", count: 40)]) else { return XCTFail("no match") }
        XCTAssertEqual(hits.map(\.score), [-20])
    }

    /// signature-base's own hash list: every line parses; distinct digests 986 MD5, 893 SHA1,
    /// 1,174 SHA256 (counted with cut/sort -u/awk on the file; it repeats some hashes).
    func testSignatureBaseHashIOCs() throws {
        var set = IOCSet()
        set.load(path: try BuildProducts.requireSignatureBase("iocs/hash-iocs.txt"))
        XCTAssertEqual(set.diagnostics, [])
        let kinds = Dictionary(grouping: set.hashes.indicators.keys, by: \.kind).mapValues(\.count)
        XCTAssertEqual(kinds[.md5], 986)
        XCTAssertEqual(kinds[.sha1], 893)
        XCTAssertEqual(kinds[.sha256], 1174)
        // The first entry of the file; the Sakula example of thor-spec 4.2 is commented out there.
        guard case .match(let hits) = set.hashes.lookup(["CE583821191345274CD954B2DB7DA9742C239FE413FC17DCB97FFDD7B51CB072"]) else {
            return XCTFail("not found")
        }
        XCTAssertEqual(hits.map(\.comment), ["Dark Caracal - MS Windows HtmlHelp Data"])
        XCTAssertEqual(hits.map(\.score), [100])
        XCTAssertEqual(set.hashes.lookup(["0c2674c3a97c53082187d930efb645c2"]), .none, "commented-out lines are not IOCs")
        guard case .match(let scored) = set.hashes.lookup(["bf4f41403280c1b115650d470f9b260a5c9042c04d9bcc2a6ca504a66379b2d6"]) else {
            return XCTFail("not found")
        }
        XCTAssertEqual(scored.map(\.score), [55])
    }
}
