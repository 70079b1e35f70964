import TestSupport
import XCTest
@testable import YaraEngine

/// signature-base over the positive parity corpus (../shared/bench/make-positives.sh), against
/// the libyara 4.2.3 reference pairs in ../shared/bench/expected/positives.matches.jsonl.
/// make-positives.sh may build a slightly different tree on another machine, so reference
/// pairs whose file is absent here are left out; every other pair must agree exactly.
final class PositivesParityTests: XCTestCase {
    func testSignatureBaseOnThePositiveCorpus() throws {
        let yaraRules = try BuildProducts.requireSignatureBase("yara")
        let home = ProcessInfo.processInfo.environment["BENCH_CORPUS"]
            ?? (NSHomeDirectory() + "/.cache/thor-bench/corpus")
        let root = home + "/positives"
        let expectedFile = URL(fileURLWithPath: BuildProducts.signatureBase).deletingLastPathComponent().path + "/bench/expected/positives.matches.jsonl"
        guard FileManager.default.fileExists(atPath: root), let expectedData = FileManager.default.contents(atPath: expectedFile) else {
            throw XCTSkip("positive corpus (make-positives.sh) or expected pairs not present")
        }
        var expected = Set<String>()
        for line in expectedData.split(separator: UInt8(ascii: "\n")) {
            let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            guard let path = object?["path"] as? String, let names = object?["rules"] as? [String] else { continue }
            if FileManager.default.fileExists(atPath: root + "/" + path) { for n in names { expected.insert(path + "\t" + n) } }
        }
        XCTAssertGreaterThan(expected.count, 7600)

        let rules = try YaraRules(files: RuleFileDiscovery.ruleFiles(in: [yaraRules]).map(\.path))
        let scanner = try YaraScanner(rules: rules)
        var found = Set<String>()
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            let full = root + "/" + relative
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue,
                  (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) == nil else { continue }
            let url = URL(fileURLWithPath: full)
            var externals = FileExternals.pathExternals(directory: url.deletingLastPathComponent().path, name: url.lastPathComponent)
            externals["owner"] = (try FileManager.default.attributesOfItem(atPath: full))[.ownerAccountName] as? String ?? ""
            scanner.setExternals(externals)
            for match in try scanner.scanFile(atPath: full).matches { found.insert(relative + "\t" + rules.rules[match.ruleIndex].name) }
        }
        XCTAssertEqual(found.subtracting(expected).sorted(), [])
        XCTAssertEqual(expected.subtracting(found).sorted(), [])
    }
}
