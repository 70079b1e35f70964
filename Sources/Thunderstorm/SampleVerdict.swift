/// A neutral model of one sample's scan result, rich enough for the THOR v1 finding shape.
public struct SampleVerdict: Sendable, Equatable, Codable {
    /// Combined score of all reasons; a verdict with no reasons is clean.
    public var score: Int
    /// nil when the sample is clean (below the reporting threshold).
    public var level: FindingLevel?
    /// Facts about the scanned file that the scanner computed anyway (hashes, type).
    public var file: SampleFileFacts
    /// Every positive reason, highest sub-score first. The renderer applies no cap.
    public var reasons: [FindingReason]
    /// Total number of reasons before any --max-reasons cap the scanner applied.
    public var reasonsCount: Int

    public init(score: Int, level: FindingLevel?, file: SampleFileFacts, reasons: [FindingReason], reasonsCount: Int? = nil) {
        self.score = score
        self.level = level
        self.file = file
        self.reasons = reasons
        self.reasonsCount = reasonsCount ?? reasons.count
    }

    /// A clean result for a file.
    public static func clean(_ file: SampleFileFacts) -> SampleVerdict {
        SampleVerdict(score: 0, level: nil, file: file, reasons: [])
    }

    /// Warning and Alert count as malicious for --server-store-samples malicious.
    public var isMalicious: Bool { level == .warning || level == .alert }
}

/// The levels thunderstorm-cli knows; any other string crashes it, so the enum is closed.
public enum FindingLevel: String, Sendable, Codable, CaseIterable {
    case debug = "Debug", info = "Info", notice = "Notice", error = "Error", warning = "Warning", alert = "Alert"
}

/// File facts the scanner reports (lower-case hex digests; `type` is the file-type name, e.g. "EXE").
public struct SampleFileFacts: Sendable, Equatable, Codable {
    public var md5: String
    public var sha1: String
    public var sha256: String
    public var type: String

    public init(md5: String, sha1: String, sha256: String, type: String) {
        self.md5 = md5
        self.sha1 = sha1
        self.sha256 = sha256
        self.type = type
    }
}

/// One reason (a matching signature) with its metadata.
public struct FindingReason: Sendable, Equatable, Codable {
    public var ruleName: String
    public var subScore: Int
    /// The rule's description; rendered as `reason`.
    public var description: String
    public var author: String
    public var reference: String
    /// Rule date as the signature states it (e.g. "2015-03-10").
    public var date: String
    public var tags: [String]
    /// e.g. "YARA Rule", "Filename IOC", "Hash IOC".
    public var sigClass: String
    /// e.g. "internal", "custom".
    public var sigType: String
    /// The matched strings as text (`matched` in the v1 finding).
    public var matched: [String]

    public init(
        ruleName: String, subScore: Int, description: String, author: String = "", reference: String = "",
        date: String = "", tags: [String] = [], sigClass: String, sigType: String, matched: [String] = []
    ) {
        self.ruleName = ruleName
        self.subScore = subScore
        self.description = description
        self.author = author
        self.reference = reference
        self.date = date
        self.tags = tags
        self.sigClass = sigClass
        self.sigType = sigType
        self.matched = matched
    }
}
