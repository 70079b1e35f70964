import CYara
import TestSupport
import XCTest
@testable import YaraEngine

final class RuleCompileTests: XCTestCase {
    func testBrokenFileIsSkippedWithFileLineAndErrorAndTheRestLoad() throws {
        let dir = try temporaryFolder()
        try dir.write("a-good.yar", "rule GoodA { strings: $a = \"alpha-marker\" condition: $a }\n")
        let broken = try dir.write("b-broken.yar", "rule Broken {\n  strings:\n    $a = \"x\"\n  condition:\n    $a and $undefined\n}\n")
        try dir.write("c-good.yara", "rule GoodC { condition: filename == \"c.bin\" }\n")
        try dir.write("_ignored.yar", "this is not yara")
        try dir.write(".hidden.yar", "neither is this")
        try dir.write("notes.txt", "rule NotLoaded { condition: true }")

        let files = RuleFileDiscovery.ruleFiles(in: [dir.path]).map(\.path)
        XCTAssertEqual(files.map { ($0 as NSString).lastPathComponent }, ["a-good.yar", "b-broken.yar", "c-good.yara"])
        let rules = try YaraRules(files: files)
        XCTAssertEqual(rules.compiled.count, 2)
        // Line and text as yarac 4.2.3 reports them: the condition ends on line 6.
        XCTAssertEqual(rules.failures, [CompileFailure(file: broken, line: 6, message: "undefined string \"$undefined\"")])
        XCTAssertEqual(rules.rules.map(\.name), ["GoodA", "GoodC"])
    }

    func testDuplicateRuleAcrossFilesSkipsTheLaterFile() throws {
        let dir = try temporaryFolder()
        try dir.write("1.yar", "rule Same { condition: true }\n")
        let second = try dir.write("2.yar", "rule Other { condition: true }\nrule Same { condition: false }\n")
        try dir.write("3.yar", "rule Third { condition: true }\n")
        let rules = try YaraRules(files: RuleFileDiscovery.ruleFiles(in: [dir.path]).map(\.path))
        XCTAssertEqual(rules.rules.map(\.name), ["Same", "Third"])
        XCTAssertEqual(rules.failures, [CompileFailure(file: second, line: 2, message: "duplicated identifier \"Same\"")])
    }

    /// Whether a rule reads `md5` decides if the module computes it when the host did not hash:
    /// a word in a comment or `hash.md5(...)` does not count, and the answer survives the cache.
    func testWhetherTheRulesReadTheMD5External() throws {
        let dir = try temporaryFolder()
        let reads = try dir.write("reads.yar", "rule ReadsMD5 { condition: md5 == \"0123\" }\n")
        let comment = try dir.write("comment.yar", "// md5 is not read here\nrule NoMD5 { condition: filename == \"md5\" }\n")
        let module = try dir.write("module.yar", "import \"hash\"\nrule HashModule { condition: hash.md5(0, filesize) == \"0123\" }\n")
        let cache = try temporaryFolder("cache").path
        XCTAssertFalse(try YaraRules(files: [comment, module]).readsMD5)
        for _ in 0..<2 {
            let rules = try YaraRules(files: [comment, module, reads], cacheDirectory: cache)
            XCTAssertEqual(rules.compiled.count, 3)
            XCTAssertTrue(rules.readsMD5, "loaded from cache: \(rules.loadedFromCache)")
        }
        XCTAssertTrue(try YaraRules(files: [reads], cacheDirectory: cache).readsMD5)
    }

    func testCategoryFromFileNameTag() {
        XCTAssertEqual(RuleFileDiscovery.category(ofFileNamed: "my-log-rules.yar"), .log)
        XCTAssertEqual(RuleFileDiscovery.category(ofFileNamed: "meta.yar"), .meta)
        XCTAssertEqual(RuleFileDiscovery.category(ofFileNamed: "x-memory-y.yar"), .process)
        XCTAssertEqual(RuleFileDiscovery.category(ofFileNamed: "catalog.yar"), .generic)
        XCTAssertEqual(RuleFileDiscovery.category(ofFileNamed: "my_log_rules.yar"), .generic, "'_' is a word character")
    }

    func testSecondLoadComesFromTheCacheAndAnEditInvalidatesIt() throws {
        let dir = try temporaryFolder()
        let cache = dir.path + "/cache"
        let file = try dir.write("rules/one.yar", "rule One { strings: $a = \"one\" condition: $a }\n")
        try dir.write("rules/bad.yar", "rule Bad { condition: nope }\n")
        let first = try YaraRules(files: [file, dir.path + "/rules/bad.yar"], cacheDirectory: cache)
        XCTAssertFalse(first.loadedFromCache)
        let second = try YaraRules(files: [file, dir.path + "/rules/bad.yar"], cacheDirectory: cache)
        XCTAssertTrue(second.loadedFromCache)
        XCTAssertEqual(second.rules.map(\.name), ["One"])
        XCTAssertEqual(second.failures.count, 1, "the cached report repeats the compile failures")
        XCTAssertEqual(second.failures.first?.line, 1)

        try dir.write("rules/one.yar", "rule OneEdited { strings: $a = \"one\" condition: $a }\n")
        let third = try YaraRules(files: [file, dir.path + "/rules/bad.yar"], cacheDirectory: cache)
        XCTAssertFalse(third.loadedFromCache)
        XCTAssertEqual(third.rules.map(\.name), ["OneEdited"])
        let different = try YaraRules(files: [file], externals: ["filename"], cacheDirectory: cache)
        XCTAssertFalse(different.loadedFromCache, "the externals declaration is part of the key")
    }

    func testADamagedCacheEntryIsCompiledAgainAndReplaced() throws {
        let dir = try temporaryFolder()
        let cache = dir.path + "/cache"
        let file = try dir.write("rules/one.yar", "rule One { strings: $a = \"one\" condition: $a }\n")
        _ = try YaraRules(files: [file], cacheDirectory: cache)
        let saved = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".yarc") }
        XCTAssertEqual(saved.count, 1)
        let path = cache + "/" + saved[0]
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        for damaged in [whole.prefix(whole.count / 2), Data(), Data("not compiled rules".utf8)] {
            try damaged.write(to: URL(fileURLWithPath: path))
            let again = try YaraRules(files: [file], cacheDirectory: cache)
            XCTAssertFalse(again.loadedFromCache, "a damaged entry (\(damaged.count) bytes) is not used")
            XCTAssertEqual(again.rules.map(\.name), ["One"])
            let next = try YaraRules(files: [file], cacheDirectory: cache)
            XCTAssertTrue(next.loadedFromCache, "the compile saved a good entry again")
            XCTAssertEqual(next.rules.map(\.name), ["One"])
        }
    }

    func testTheCacheKeyIsRecalledUntilAFileChanges() throws {
        let dir = try temporaryFolder()
        let cache = CompiledRulesCache(directory: dir.path + "/cache")
        let one = try dir.write("rules/one.yar", "rule One { condition: true }\n")
        let two = try dir.write("rules/two.yar", "rule Two { condition: true }\n")
        let key = { try cache.key(files: [one, two], namespaces: nil, externals: ["filename"]) }
        let fresh = try key()
        XCTAssertFalse(fresh.recalled)
        usleep(50_000) // past the clock tick the files were written in: they have settled
        XCTAssertEqual(try key().key, fresh.key)
        let recalled = try key()
        XCTAssertTrue(recalled.recalled)
        XCTAssertEqual(recalled.key, fresh.key)
        XCTAssertEqual(try cache.key(files: [one, two], namespaces: nil, externals: ["md5"]).recalled, false,
                       "the externals are part of the memo's fingerprint")
        XCTAssertEqual(try cache.key(files: [two, one], namespaces: nil, externals: ["filename"]).recalled, false)

        // touch: the same bytes, so the same key, read again.
        var times = [timespec(tv_sec: 1_000_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000_000, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, one, &times, 0), 0)
        let touched = try key()
        XCTAssertFalse(touched.recalled, "an old modification time does not hide the status change")
        XCTAssertEqual(touched.key, fresh.key)
        // An edit of the same size gives a new key.
        try dir.write("rules/one.yar", "rule Onf { condition: true }\n")
        let edited = try key()
        XCTAssertFalse(edited.recalled)
        XCTAssertNotEqual(edited.key, fresh.key)
        usleep(50_000)
        _ = try key()
        let settled = try key()
        XCTAssertTrue(settled.recalled)
        XCTAssertEqual(settled.key, edited.key)

        // A file changed "later" than it is looked at has not settled and is never remembered.
        var ahead = timespec()
        clock_gettime(CLOCK_REALTIME, &ahead)
        ahead.tv_sec += 3600
        times = [ahead, ahead]
        XCTAssertEqual(utimensat(AT_FDCWD, two, &times, 0), 0)
        usleep(50_000)
        XCTAssertEqual(try key().key, edited.key)
        XCTAssertFalse(try key().recalled)
    }

    func testTheMemoryStreamReadsWholeItemsAsFreadDoes() {
        let bytes: [UInt8] = Array(0..<10)
        bytes.withUnsafeBufferPointer { buffer in
            var stream = cyara_memory_stream(bytes: buffer.baseAddress, size: buffer.count, position: 0)
            var out = [UInt8](repeating: 0xFF, count: 16)
            func read(_ size: Int, _ count: Int) -> Int {
                out.withUnsafeMutableBytes { cyara_memory_stream_read($0.baseAddress, size, count, &stream) }
            }
            XCTAssertEqual(read(4, 1), 1)
            XCTAssertEqual(Array(out.prefix(4)), [0, 1, 2, 3])
            XCTAssertEqual(read(4, 3), 1, "6 bytes left: one whole item of 4")
            XCTAssertEqual(Array(out.prefix(4)), [4, 5, 6, 7])
            XCTAssertEqual(read(4, 1), 0, "2 bytes left: no whole item")
            XCTAssertEqual(read(1, 8), 2)
            XCTAssertEqual(Array(out.prefix(2)), [8, 9])
            XCTAssertEqual(read(0, 8), 0)
            XCTAssertEqual(stream.position, 10)
        }
    }

    /// All of signature-base's rule files are attempted; the count that compiles with LOKI's
    /// externals equals what yara 4.2.3 compiles. Reference numbers from
    /// ../shared/bench/build-rules.sh on this signature-base (commit 8a89b3b):
    /// "rule files: 741 compile, 0 fail; public rules: 5871" (and positives.summary.json:
    /// rules_compiled 5883, rules_private 12).
    func testSignatureBaseCompilesLikeYara423() throws {
        let files = RuleFileDiscovery.ruleFiles(in: [try BuildProducts.requireSignatureBase("yara")]).map(\.path)
        XCTAssertEqual(files.count, 741)
        let rules = try YaraRules(files: files)
        XCTAssertEqual(rules.compiled.count, 741)
        XCTAssertEqual(rules.failures, [])
        XCTAssertEqual(rules.rules.count, 5883)
        XCTAssertEqual(rules.publicRuleCount, 5871)
    }
}
