import Foundation
import Glibc

/// Regular expressions (POSIX extended) matched against full paths, from `directory-excludes.cfg`:
/// one per line, `#` comments. A matching file or directory is not scanned.
public final class PathExcludes: @unchecked Sendable {
    private var compiled: [regex_t] = []
    public let patterns: [String]

    public init(patterns: [String]) throws {
        self.patterns = patterns
        for pattern in patterns {
            var re = regex_t()
            let rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB)
            guard rc == 0 else {
                var buffer = [CChar](repeating: 0, count: 256)
                regerror(rc, &re, &buffer, buffer.count)
                throw ConfigError("exclude pattern '\(pattern)': \(String(cString: buffer))")
            }
            compiled.append(re)
        }
    }

    public convenience init(fileText: String, source: String) throws {
        var patterns: [String] = []
        for line in fileText.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            patterns.append(trimmed)
        }
        do { try self.init(patterns: patterns) } catch let error as ConfigError {
            throw ConfigError("\(source): \(error.description)")
        }
    }

    deinit { for i in compiled.indices { regfree(&compiled[i]) } }

    public func excludes(_ path: String) -> Bool {
        guard !compiled.isEmpty else { return false }
        for i in compiled.indices where regexec(&compiled[i], path, 0, nil, 0) == 0 { return true }
        return false
    }
}
