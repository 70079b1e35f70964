/// A rule's `level`, ordered from least to most severe.
public enum SigmaLevel: Int, Comparable, CaseIterable, Sendable {
    case informational, low, medium, high, critical

    public init?(name: String) {
        switch name.lowercased() {
        case "informational", "info": self = .informational
        case "low": self = .low
        case "medium": self = .medium
        case "high": self = .high
        case "critical": self = .critical
        default: return nil
        }
    }

    public var name: String {
        switch self {
        case .informational: return "informational"
        case .low: return "low"
        case .medium: return "medium"
        case .high: return "high"
        case .critical: return "critical"
        }
    }

    /// THOR's sub-score for a Sigma match (low 40, medium 50, high 70, critical 100). THOR documents no
    /// score for informational; 0 keeps such matches below every reporting threshold.
    public var subScore: Int {
        switch self {
        case .informational: return 0
        case .low: return 40
        case .medium: return 50
        case .high: return 70
        case .critical: return 100
        }
    }

    public static func < (a: SigmaLevel, b: SigmaLevel) -> Bool { a.rawValue < b.rawValue }
}
