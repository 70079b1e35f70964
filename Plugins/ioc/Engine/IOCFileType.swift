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
/// an entry, trimmed of '#' and spaces, is its description).
struct IOCLines: Sequence {
    let text: String

    struct Entry {
        let number: Int
        let text: String
        let comment: String
    }

    /// A score field (`-100...100`), or the diagnostic message for one that is not.
    static func score<S: StringProtocol>(_ field: S) -> Result<Int, IOCScoreError> {
        guard let score = Int(field.trimmingCharacters(in: .whitespaces)), (-100...100).contains(score) else {
            return .failure(IOCScoreError(message: "score is not an integer in -100...100: \"\(field)\""))
        }
        return .success(score)
    }

    func makeIterator() -> AnyIterator<Entry> {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).makeIterator()
        var number = 0
        var comment = ""
        return AnyIterator {
            while let raw = lines.next() {
                number += 1
                var line = Substring(raw)
                if line.hasSuffix("\r") { line = line.dropLast() }
                if line.first == "#" {
                    comment = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
                    continue
                }
                if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
                return Entry(number: number, text: String(line), comment: comment)
            }
            return nil
        }
    }
}
