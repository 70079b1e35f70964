import TestSupport
import XCTest
@testable import YaraEngine

final class ScannerTests: XCTestCase {
    static let source = """
        rule WithMeta : tagA tagB {
            meta:
                description = "finds the marker"
                author = "thor tests"
                reference = "https://example.org/ref"
                date = "2024-02-29"
                score = 80
            strings:
                $m = "MARKER"
                $h = { DE AD BE EF }
            condition:
                $m and $h
        }
        rule DefaultScore { strings: $a = "second" condition: $a }
        rule FalsePositive { meta: score = 40 falsepositive = 1 strings: $a = "benign-tool" condition: $a }
        private rule Hidden { strings: $a = "MARKER" condition: $a }
        rule UsesPrivate { condition: Hidden and filesize < 100 }
        rule ByName { condition: filename == "evil.exe" and extension == ".exe" and filepath == "/tmp/x" }
        """

    func testMatchCarriesMetaTagsStringsOffsetsAndContext() throws {
        let rules = try YaraRules(source: Self.source)
        var options = YaraScanner.Options()
        options.contextBytes = 4
        let scanner = try YaraScanner(rules: rules, options: options)
        var bytes = Array("0123456789MARKERabcdefgh".utf8) + [0xDE, 0xAD, 0xBE, 0xEF] + Array(" second".utf8)
        let result = try bytes.withUnsafeMutableBytes { try scanner.scan(UnsafeRawBufferPointer($0)) }
        XCTAssertFalse(result.timedOut)
        let names = result.matches.map { rules.rules[$0.ruleIndex].name }
        XCTAssertEqual(names, ["WithMeta", "DefaultScore", "UsesPrivate"], "private rules are never reported")

        let withMeta = try XCTUnwrap(result.matches.first)
        let info = rules.rules[withMeta.ruleIndex]
        XCTAssertEqual(info.score, 80)
        XCTAssertEqual(info.description, "finds the marker")
        XCTAssertEqual(info.author, "thor tests")
        XCTAssertEqual(info.reference, "https://example.org/ref")
        XCTAssertEqual(info.date, "2024-02-29")
        XCTAssertEqual(info.tags, ["tagA", "tagB"])
        XCTAssertFalse(info.falsePositive)
        XCTAssertEqual(withMeta.strings, [
            MatchedString(identifier: "$m", offset: 10, data: Array("MARKER".utf8), context: Array("6789MARKERabcd".utf8)),
            MatchedString(identifier: "$h", offset: 24, data: [0xDE, 0xAD, 0xBE, 0xEF],
                          context: Array("efgh".utf8) + [0xDE, 0xAD, 0xBE, 0xEF] + Array(" sec".utf8)),
        ])
        XCTAssertEqual(rules.rules[result.matches[1].ruleIndex].score, RuleInfo.defaultScore)
    }

    func testFalsePositiveMeta() throws {
        let rules = try YaraRules(source: Self.source)
        let fp = try XCTUnwrap(rules.rules.first { $0.name == "FalsePositive" })
        XCTAssertTrue(fp.falsePositive)
        XCTAssertEqual(fp.score, 40)
    }

    func testExternalsAreSetPerObjectOnOneScanner() throws {
        let rules = try YaraRules(source: Self.source)
        let scanner = try YaraScanner(rules: rules)
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        scanner.setExternals(["filename": "evil.exe", "extension": ".exe", "filepath": "/tmp/x"])
        XCTAssertEqual(try scanner.scan(empty).matches.map { rules.rules[$0.ruleIndex].name }, ["ByName"])
        scanner.setExternals(["filename": "evil.exe", "extension": ".exe", "filepath": "/tmp/y"])
        XCTAssertEqual(try scanner.scan(empty).matches.count, 0)
        scanner.setExternals(FileExternals.pathExternals(directory: "/tmp/x", name: "evil.EXE").merging(["filename": "evil.exe"]) { $1 })
        XCTAssertEqual(try scanner.scan(empty).matches.count, 1, "the extension external is lower-cased")
    }

    func testExtensionLikePythonSplitext() {
        XCTAssertEqual(FileExternals.extensionOf("cmd.EXE"), ".exe")
        XCTAssertEqual(FileExternals.extensionOf(".bashrc"), "")
        XCTAssertEqual(FileExternals.extensionOf("..x"), "")
        XCTAssertEqual(FileExternals.extensionOf("a.tar.gz"), ".gz")
        XCTAssertEqual(FileExternals.extensionOf("name."), ".")
        XCTAssertEqual(FileExternals.extensionOf("README"), "")
    }

    func testTimeoutStopsAnExpensiveScan() throws {
        let rules = try YaraRules(source: """
            rule Slow { condition: for all i in (0..filesize) : ( for all j in (0..filesize) : ( uint8(i) != 1 or uint8(j) != 2 ) ) }
            """)
        var options = YaraScanner.Options()
        options.timeoutSeconds = 1
        let scanner = try YaraScanner(rules: rules, options: options)
        let bytes = [UInt8](repeating: 0, count: 200_000)
        let start = Date()
        let result = try bytes.withUnsafeBytes { try scanner.scan($0) }
        XCTAssertTrue(result.timedOut)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    func testScanFileMapsTheFile() throws {
        let dir = try temporaryFolder()
        let file = try dir.write("sample.bin", "xx second xx")
        let empty = try dir.write("empty.bin", "")
        let rules = try YaraRules(source: Self.source + "\nrule Empty { condition: filesize == 0 }\n")
        let scanner = try YaraScanner(rules: rules)
        XCTAssertEqual(try scanner.scanFile(atPath: file).matches.map { rules.rules[$0.ruleIndex].name }, ["DefaultScore"])
        XCTAssertEqual(try scanner.scanFile(atPath: empty).matches.map { rules.rules[$0.ruleIndex].name }, ["Empty"])
        XCTAssertThrowsError(try scanner.scanFile(atPath: dir.path + "/missing"))
        // Above the read-buffer limit the file is mapped instead: same result.
        var mapping = YaraScanner.Options()
        mapping.readBufferLimit = 0
        let mapped = try YaraScanner(rules: rules, options: mapping)
        XCTAssertEqual(try mapped.scanFile(atPath: file).matches.map { rules.rules[$0.ruleIndex].name }, ["DefaultScore"])
        XCTAssertEqual(try mapped.scanFile(atPath: file).matches.first?.strings.first?.context, Array("xx second xx".utf8))
    }
}
