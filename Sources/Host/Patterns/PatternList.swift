import Foundation
import Glibc

/// Regular expressions (POSIX extended), one per line with `#` comments, from a config file:
/// `directory-excludes.cfg` (full paths: a match is not scanned) and `false_positive_filters.cfg`
/// (event text: a match is not reported).
public final class PatternList: @unchecked Sendable {
    private var compiled: [regex_t] = []
    public let patterns: [String]

    /// `kind` names a pattern in errors ("exclude pattern").
    public init(patterns: [String], kind: String) throws {
        self.patterns = patterns
        for pattern in patterns {
            var re = regex_t()
            let rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB)
            guard rc == 0 else {
                var buffer = [CChar](repeating: 0, count: 256)
                regerror(rc, &re, &buffer, buffer.count)
                throw ConfigError("\(kind) '\(pattern)': \(String(cString: buffer))")
            }
            compiled.append(re)
        }
    }

    /// The patterns of the config file at `path`; nil when it cannot be read (most are optional).
    public static func load(_ path: String, kind: String) throws -> PatternList? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return try PatternList(fileText: text, source: path, kind: kind)
    }

    public convenience init(fileText: String, source: String, kind: String) throws {
        var patterns: [String] = []
        for line in fileText.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            patterns.append(trimmed)
        }
        do { try self.init(patterns: patterns, kind: kind) } catch let error as ConfigError {
            throw ConfigError("\(source): \(error.description)")
        }
    }

    deinit { for i in compiled.indices { regfree(&compiled[i]) } }

    public func matches(_ text: String) -> Bool {
        guard !compiled.isEmpty else { return false }
        for i in compiled.indices where regexec(&compiled[i], text, 0, nil, 0) == 0 { return true }
        return false
    }
}
