import Foundation

/// A binary MD5, SHA1 or SHA256 digest: a fixed-size value, so lookups are one hash-set probe.
public struct HashDigest: Hashable, Sendable {
    public enum Kind: UInt8, Sendable { case md5 = 16, sha1 = 20, sha256 = 32 }
    public let kind: Kind
    let words: (UInt64, UInt64, UInt64, UInt64)

    /// Parses 32, 40 or 64 hex digits (either case, surrounding blanks ignored); nil otherwise.
    public init?(hex: Substring) {
        var digits = hex.utf8[...]
        while let first = digits.first, first == 0x20 || first == 0x09 { digits = digits.dropFirst() }
        while let last = digits.last, last == 0x20 || last == 0x09 { digits = digits.dropLast() }
        guard digits.count % 2 == 0, let kind = Kind(rawValue: UInt8(clamping: digits.count / 2)) else { return nil }
        // Straight into the four words: this runs for every digest of every scanned object.
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var i = 0
        for c in digits {
            let nibble: UInt8
            switch c {
            case 0x30...0x39: nibble = c - 0x30
            case 0x41...0x46: nibble = c - 0x41 + 10
            case 0x61...0x66: nibble = c - 0x61 + 10
            default: return nil
            }
            let bits = UInt64(nibble) << UInt64(60 - (i & 15) * 4)
            switch i >> 4 {
            case 0: words.0 |= bits
            case 1: words.1 |= bits
            case 2: words.2 |= bits
            default: words.3 |= bits
            }
            i += 1
        }
        self.kind = kind
        self.words = words
    }

    public init?(hex: String) { self.init(hex: Substring(hex)) }

    public static func == (a: HashDigest, b: HashDigest) -> Bool {
        a.kind == b.kind && a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// The digests of the empty file: LOKI ignores them as IOCs (every empty file would match).
    static let emptyFile: Set<HashDigest> = Set([
        "d41d8cd98f00b204e9800998ecf8427e", "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    ].compactMap { HashDigest(hex: $0) })
}

public struct HashIOC: Sendable, Equatable {
    public static let defaultScore = 100
    public let hash: String
    public let score: Int
    public let comment: String
    public let file: String
}

/// Hash IOCs and the false-positive (trusted) hashes, each a dictionary keyed by digest.
public struct HashIOCs: Sendable {
    public private(set) var indicators: [HashDigest: HashIOC] = [:]
    public private(set) var falsePositives: [HashDigest: HashIOC] = [:]

    public enum Lookup: Equatable, Sendable {
        case none
        /// The object's hash is on a false-positive list: no hash IOC applies to it.
        case falsePositive(HashIOC)
        case match([HashIOC])
    }

    /// Looks up every digest an object has (md5, sha1, sha256, imphash ...), hex text.
    public func lookup(_ hexDigests: [String]) -> Lookup {
        let digests = hexDigests.compactMap { HashDigest(hex: $0) }
        for d in digests { if let fp = falsePositives[d] { return .falsePositive(fp) } }
        var hits: [HashIOC] = []
        for d in digests { if let hit = indicators[d], !hits.contains(hit) { hits.append(hit) } }
        return hits.isEmpty ? .none : .match(hits)
    }

    /// `HASH;COMMENT` or `HASH;SCORE;COMMENT` (score only when the second field is an integer).
    mutating func load(text: String, file: String, falsePositive: Bool, diagnostics: inout [IOCDiagnostic]) {
        for entry in IOCLines(text: text) {
            let fields = IOCLines.fields(entry.text)
            let hashText = fields[0].trimmingBlanks
            guard let digest = HashDigest(hex: hashText) else {
                diagnostics.append(IOCDiagnostic(file: file, line: entry.number,
                                                 message: "not an MD5, SHA1 or SHA256 hash: \"\(hashText.prefix(80))\""))
                continue
            }
            if HashDigest.emptyFile.contains(digest) {
                diagnostics.append(IOCDiagnostic(file: file, line: entry.number, message: "hash of the empty file ignored"))
                continue
            }
            var score = falsePositive ? -100 : HashIOC.defaultScore
            var comment = fields.dropFirst().joined(separator: ";")
            if fields.count >= 3, let value = Int(fields[1].trimmingBlanks) {
                guard (-100...100).contains(value) else {
                    diagnostics.append(IOCDiagnostic(file: file, line: entry.number, message: "score \(value) outside -100...100"))
                    continue
                }
                score = value
                comment = fields.dropFirst(2).joined(separator: ";")
            }
            let ioc = HashIOC(hash: hashText.lowercased(), score: score, comment: comment, file: file)
            if falsePositive { falsePositives[digest] = ioc } else { indicators[digest] = ioc }
        }
    }
}
