import Foundation

public struct FilenameIOC: @unchecked Sendable {
    public let pattern: String
    public let score: Int
    public let falsePositivePattern: String?
    public let description: String
    public let file: String
    public let line: Int
    let regex: NSRegularExpression
    let falsePositiveRegex: NSRegularExpression?
}

/// All filename IOCs that matched one string, summed into one result as THOR does.
public struct FilenameMatch: Sendable {
    public struct Hit: Sendable {
        public let ioc: FilenameIOC
        /// The matched text.
        public let matched: String
    }
    public let hits: [Hit]
    public var score: Int { hits.reduce(0) { $0 + $1.ioc.score } }
}

/// `REGEX;SCORE[;FP_REGEX]` lines, matched by regex search over a path or any string.
/// Case rule (thor-spec 4.2): case-insensitive when the pattern has no regex special
/// characters, else case-sensitive unless it says (?i).
public struct FilenameIOCs: @unchecked Sendable {
    public private(set) var iocs: [FilenameIOC] = []
    private var prefilter = LiteralIndex()
    /// IOCs with no certain literal: evaluated on every string.
    private var unfiltered: [Int] = []

    static let specials = Set("\\^$.|?*+()[]{}".utf8)

    mutating func load(text: String, file: String, diagnostics: inout [IOCDiagnostic]) {
        for entry in IOCLines(text: text) {
            let fields = IOCLines.fields(entry.text)
            func reject(_ why: String) { diagnostics.append(IOCDiagnostic(file: file, line: entry.number, message: why)) }
            guard fields.count == 2 || fields.count == 3, !fields[0].isEmpty else {
                reject("expected REGEX;SCORE[;FP_REGEX], got \(fields.count) field(s)")
                continue
            }
            let score: Int
            switch IOCLines.score(fields[1]) {
            case .success(let parsed): score = parsed
            case .failure(let error): reject(error.message); continue
            }
            let pattern = String(fields[0])
            let literal = !pattern.utf8.contains { FilenameIOCs.specials.contains($0) }
            let options: NSRegularExpression.Options = literal ? [.caseInsensitive, .ignoreMetacharacters] : []
            guard let regex = try? NSRegularExpression(pattern: pattern, options: options) else {
                reject("invalid regular expression \"\(pattern)\"")
                continue
            }
            var fpRegex: NSRegularExpression?
            let fpPattern = fields.count == 3 ? String(fields[2]) : ""
            if !fpPattern.isEmpty {
                guard let compiled = try? NSRegularExpression(pattern: fpPattern) else {
                    reject("invalid false-positive regular expression \"\(fpPattern)\"")
                    continue
                }
                fpRegex = compiled
            }
            let index = iocs.count
            iocs.append(FilenameIOC(pattern: pattern, score: score, falsePositivePattern: fpRegex == nil ? nil : fpPattern,
                                    description: entry.comment, file: file, line: entry.number,
                                    regex: regex, falsePositiveRegex: fpRegex))
            let required = literal ? [Array(pattern.utf8)] : RegexLiteral.required(pattern)
            if let required, required.allSatisfy({ $0.count >= 3 }) {
                for text in required { prefilter.add(text, foldCase: true, owner: index) }
            } else {
                unfiltered.append(index)
            }
        }
    }

    /// Number of IOCs that are checked on every string (no literal to prefilter on).
    public var unfilteredCount: Int { unfiltered.count }

    /// The IOCs whose regex is found in `text` and whose false-positive regex is not.
    public func match(_ text: String) -> FilenameMatch? { match(ScanText(text)) }

    public func match(_ scanText: ScanText) -> FilenameMatch? {
        guard !iocs.isEmpty else { return nil }
        var candidates = Set(unfiltered)
        for hit in prefilter.occurrences(in: scanText) { candidates.insert(hit.owner) }
        guard !candidates.isEmpty else { return nil }
        let text = scanText.text
        let ns = text as NSString
        let whole = NSRange(location: 0, length: ns.length)
        var hits: [FilenameMatch.Hit] = []
        for index in candidates.sorted() {
            let ioc = iocs[index]
            guard let found = ioc.regex.firstMatch(in: text, range: whole) else { continue }
            if let fp = ioc.falsePositiveRegex, fp.firstMatch(in: text, range: whole) != nil { continue }
            hits.append(.init(ioc: ioc, matched: ns.substring(with: found.range)))
        }
        return hits.isEmpty ? nil : FilenameMatch(hits: hits)
    }
}
