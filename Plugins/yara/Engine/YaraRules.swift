import CYara
import Foundation

/// A compiled rule set and the THOR view of each of its rules, shared by all scanners.
public final class YaraRules: @unchecked Sendable {
    /// LOKI's externals, all strings; exactly what build-rules.sh and yara-reference.py declare.
    public static let lokiExternals = ["filename", "filepath", "extension", "filetype", "md5", "owner"]
    /// THOR's: LOKI's, plus what an unpacked object came out of (`unpack_parent`: `ZIP`;
    /// `unpack_source`: the chain from the outermost, `GZIP>TAR`), empty for other objects.
    public static let thorExternals = lokiExternals + ["unpack_parent", "unpack_source"]

    public let externals: [String]
    /// Indexed like libyara's rules table; owns the compiled rules.
    public let rules: RuleTable
    var pointer: UnsafeMutablePointer<YR_RULES> { rules.pointer }
    /// Rule files attempted, in order.
    public let attempted: [String]
    public let compiled: [String]
    public let failures: [CompileFailure]
    public let loadedFromCache: Bool
    /// Whether a rule reads the `md5` external: the module then asks the host for the digests,
    /// or such a rule would depend on which other modules run.
    public let readsMD5: Bool

    /// Compiles `files` (or loads them from `cacheDirectory` when an entry for exactly these
    /// files and externals exists). Throws only when nothing at all can be compiled.
    /// `namespaces`, when given, holds one namespace per file (the yara module puts vendor and
    /// custom rules in their own, to tell the two apart); otherwise all share "default".
    public init(files: [String], namespaces: [String]? = nil, externals: [String] = YaraRules.lokiExternals,
                cacheDirectory: String? = nil) throws {
        try YaraLibrary.ensureInitialized()
        let cache = cacheDirectory.map { CompiledRulesCache(directory: $0) }
        let key = try cache.map { try $0.key(files: files, namespaces: namespaces, externals: externals).key }
        var raw: OpaquePointer
        var report: CompiledRulesCache.Report
        var fromCache = false
        if let cache, let key, let hit = cache.load(key: key) {
            (raw, report) = hit
            fromCache = true
        } else {
            let (compiledRules, ok, failed) = try RuleCompiler.compile(files: files, namespaces: namespaces, externals: externals)
            raw = compiledRules
            let readsMD5 = try RuleCompiler.reads(external: "md5", files: ok, externals: externals)
            report = CompiledRulesCache.Report(compiled: ok, failures: failed, readsMD5: readsMD5)
            if let cache, let key { cache.save(key: key, rules: raw, report: report) }
        }
        rules = RuleTable(UnsafeMutablePointer<YR_RULES>(raw))
        self.externals = externals
        attempted = files
        compiled = report.compiled
        failures = report.failures
        loadedFromCache = fromCache
        readsMD5 = report.readsMD5
        if compiled.isEmpty && !files.isEmpty { throw YaraError.noRules }
    }

    /// Rules from source text (tests, small built-in sets); no cache.
    public convenience init(source: String, externals: [String] = YaraRules.lokiExternals) throws {
        let path = TemporaryPath.make(suffix: ".yar")
        defer { unlink(path) }
        guard let handle = fopen(path, "wb") else { throw YaraError.io("cannot write \(path)") }
        var text = source
        text.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, handle) }
        fclose(handle)
        try self.init(files: [path], externals: externals)
        if !failures.isEmpty { throw YaraError.io(failures.map(\.description).joined(separator: "; ")) }
    }

    public var publicRuleCount: Int { rules.publicCount }
}

/// A unique temporary file path (mkstemp), for compiling source text through a file.
enum TemporaryPath {
    static func make(suffix: String) -> String {
        let dir = (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
        var template = Array((dir + "/thor-yara-XXXXXX" + suffix).utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemps(base, Int32(suffix.utf8.count))
        }
        if fd >= 0 { close(fd) }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
