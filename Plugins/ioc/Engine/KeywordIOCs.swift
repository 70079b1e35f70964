public struct KeywordIOC: Sendable, Equatable {
    /// THOR reports keyword IOC matches as warnings; its worked example gives them 75
    /// (thor-spec section 0 lists the conflicting 60).
    public static let defaultScore = 75
    public let keyword: String
    public let description: String
    public let file: String
    public let line: Int
}

/// Keyword IOCs: one literal per line, matched case-sensitively as a substring.
public struct KeywordIOCs: Sendable {
    public private(set) var keywords: [KeywordIOC] = []
    private var index = LiteralIndex()

    mutating func load(text: String, file: String) {
        for entry in IOCLines(text: text) {
            index.add(Array(entry.text.utf8), foldCase: false, owner: keywords.count)
            keywords.append(KeywordIOC(keyword: entry.text, description: entry.comment, file: file, line: entry.number))
        }
    }

    /// Each keyword found in `text` once, in keyword order.
    public func match(_ text: String) -> [KeywordIOC] { match(ScanText(text)) }

    public func match(_ text: ScanText) -> [KeywordIOC] { matchIndices(text).map { keywords[$0] } }

    /// The positions in `keywords` of the keywords found in `text`, each once, ascending.
    public func matchIndices(_ text: ScanText) -> [Int] {
        guard !keywords.isEmpty else { return [] }
        return Set(index.occurrences(in: text).map(\.owner)).sorted()
    }
}
