import Foundation
import PluginKit

/// The IOC types THOR picks by a tag in the file name (thor-spec 4.1/4.2).
public enum IOCFileType: String, CaseIterable, Sendable {
    case falsePositiveHash, hash, filename, keyword, c2

    /// Tags in the order they are tried: the allow-list tags first, since
    /// "my-falsepositive-hashes.txt" also carries the tag "hashes".
    static let tags: [(tag: String, value: IOCFileType)] = [
        ("falsepositive-hash", .falsePositiveHash), ("falsepositive-hashes", .falsePositiveHash),
        ("trusted-hash", .falsePositiveHash), ("trusted-hashes", .falsePositiveHash),
        ("hash", .hash), ("hashes", .hash),
        ("filename", .filename), ("filenames", .filename),
        ("keyword", .keyword), ("keywords", .keyword),
        ("c2", .c2), ("domains", .c2),
    ]

    /// By THOR's `\W<tag>\W` rule ("hash-iocs.txt" is a hash file, "myhashiocs.txt" is not).
    public static func of(fileNamed name: String) -> IOCFileType? { SignatureFolder.firstTag(of: name, in: tags) }
}

/// A line that was skipped, or a file that was not loaded, with where and why.
public struct IOCDiagnostic: Equatable, Sendable, CustomStringConvertible {
    public let file: String
    /// 1-based; 0 for messages about the whole file.
    public let line: Int
    public let message: String
    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

struct IOCScoreError: Error {
    let message: String
}

/// One IOC file's lines with the comment that describes them (LOKI: the last `#` line before
/// an entry, trimmed of '#' and blanks, is its description). Lines split on "\n" (a "\r" before
/// it is dropped) and fields on ";", all as UTF-8 bytes: the delimiters are ASCII, and a
/// signature-base IOC set is ten thousand lines that every worker reads at start.
struct IOCLines: Sequence {
    let text: String

    struct Entry {
        let number: Int
        let text: String
        let comment: String
    }

    /// A score field (`-100...100`), or the diagnostic message for one that is not.
    static func score(_ field: Substring) -> Result<Int, IOCScoreError> {
        guard let score = Int(field.trimmingBlanks), (-100...100).contains(score) else {
            return .failure(IOCScoreError(message: "score is not an integer in -100...100: \"\(field)\""))
        }
        return .success(score)
    }

    /// The `;`-separated fields of an entry, empty ones kept.
    static func fields(_ text: String) -> [Substring] {
        text.utf8.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false).map { Substring($0) }
    }

    func makeIterator() -> AnyIterator<Entry> {
        let bytes = text.utf8
        var start = bytes.startIndex
        var number = 0
        var comment = ""
        return AnyIterator {
            while start < bytes.endIndex {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
                var line = bytes[start..<end]
                start = end < bytes.endIndex ? bytes.index(after: end) : end
                number += 1
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                if line.first == UInt8(ascii: "#") {
                    comment = String(Substring(line.drop { $0 == UInt8(ascii: "#") }).trimmingBlanks)
                    continue
                }
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                return Entry(number: number, text: String(Substring(line)), comment: comment)
            }
            return nil
        }
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    var trimmingBlanks: Substring {
        let bytes = utf8
        guard let first = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
              let last = bytes.lastIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return self[endIndex...] }
        return Substring(bytes[first...last])
    }
}
