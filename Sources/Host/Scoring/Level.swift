/// THOR's message levels, in rising order of severity for findings.
public enum Level: String, Sendable, Comparable, CaseIterable {
    case debug = "Debug"
    case info = "Info"
    case notice = "Notice"
    case warning = "Warning"
    case alert = "Alert"
    case error = "Error"

    private var rank: Int {
        switch self {
        case .debug: 0
        case .info: 1
        case .notice: 2
        case .warning: 3
        case .alert: 4
        case .error: 5
        }
    }

    public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
}
