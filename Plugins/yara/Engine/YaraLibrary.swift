import CYara

/// libyara's process-wide state: yr_initialize runs once, before the first compiler or rules
/// object, and is never finalised (modules are never unloaded).
public enum YaraLibrary {
    private static let status: Int32 = yr_initialize()

    static func ensureInitialized() throws {
        if status != ERROR_SUCCESS { throw YaraError.library("yr_initialize", status) }
    }

    /// "4.2.3": part of the cache key, since compiled rules are tied to the libyara version.
    public static let version = "\(YR_MAJOR_VERSION).\(YR_MINOR_VERSION).\(YR_MICRO_VERSION)"
}

public enum YaraError: Error, CustomStringConvertible, Equatable {
    case library(String, Int32)
    case io(String)
    case noRules

    public var description: String {
        switch self {
        case .library(let call, let code): return "\(call) failed with libyara error \(code)"
        case .io(let message): return message
        case .noRules: return "no YARA rule file compiled"
        }
    }
}
