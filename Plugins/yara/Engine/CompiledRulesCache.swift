import CYara
import Foundation

/// Compiled rules saved with yr_rules_save outside the program folder, keyed by a SHA-256 over
/// the libyara version, the externals declaration and every candidate rule file's path and
/// bytes: any edit, added or removed file gives a new key, so a stale cache is never used.
/// A `CacheKeyMemo` spares reading the files again while none of them changed.
struct CompiledRulesCache {
    let directory: String

    /// What the compile reported, kept beside the rules so a cached start says the same.
    struct Report: Codable {
        var compiled: [String]
        var failures: [CompileFailure]
        /// Whether a compiled rule reads the `md5` external.
        var readsMD5: Bool
    }

    /// The key for these inputs, and whether a memo gave it without reading the files.
    func key(files: [String], namespaces: [String]?, externals: [String]) throws -> (key: String, recalled: Bool) {
        var header = "thor-yara-cache 2 libyara \(YaraLibrary.version)"
        for name in externals { header += "\0external string \(name) = \"\"" }
        for ns in namespaces ?? [] { header += "\0namespace \(ns)" }
        let memo = CacheKeyMemo(directory: directory)
        let fingerprint = CacheKeyMemo.fingerprint(header: header, files: files)
        if let fingerprint, let key = memo.recall(fingerprint: fingerprint.value) { return (key, true) }
        var sha = SHA256Stream()
        sha.update(header)
        for file in files {
            sha.update(file)
            guard let data = FileManager.default.contents(atPath: file) else {
                sha.update("<unreadable>")
                continue
            }
            sha.update(String(data.count))
            data.withUnsafeBytes { sha.update($0) }
        }
        guard let key = sha.finish() else { throw YaraError.io("SHA-256 unavailable (libcrypto)") }
        if let fingerprint, fingerprint.settled { memo.remember(key, fingerprint: fingerprint.value) }
        return (key, false)
    }

    private func rulesPath(_ key: String) -> String { directory + "/yara-" + key + ".yarc" }
    private func reportPath(_ key: String) -> String { directory + "/yara-" + key + ".json" }

    /// nil when there is no usable entry (missing, unreadable, or saved by another libyara).
    func load(key: String) -> (OpaquePointer, Report)? {
        guard let data = FileManager.default.contents(atPath: reportPath(key)),
              let report = try? JSONDecoder().decode(Report.self, from: data) else { return nil }
        guard let loaded = MappedRulesFile.load(path: rulesPath(key)) else { return nil }
        return (OpaquePointer(loaded), report)
    }

    /// Best effort: a read-only or full disk only costs the next start a compile.
    func save(key: String, rules: OpaquePointer, report: Report) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let suffix = ".tmp\(getpid())"
            let tmpRules = rulesPath(key) + suffix
            guard yr_rules_save(UnsafeMutablePointer<YR_RULES>(rules), tmpRules) == ERROR_SUCCESS else {
                unlink(tmpRules)
                return
            }
            let tmpReport = reportPath(key) + suffix
            try JSONEncoder().encode(report).write(to: URL(fileURLWithPath: tmpReport))
            // Rules first: a reader only trusts an entry whose report exists.
            guard rename(tmpRules, rulesPath(key)) == 0 else { unlink(tmpRules); unlink(tmpReport); return }
            if rename(tmpReport, reportPath(key)) != 0 { unlink(tmpReport) }
        } catch {
            return
        }
    }
}
