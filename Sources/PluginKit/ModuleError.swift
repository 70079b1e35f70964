import PluginABI

/// The error a module throws; it crosses the ABI as its status code, its message is logged.
public struct ModuleError: Error, CustomStringConvertible {
    public let status: thor_status
    public let message: String

    public init(_ status: thor_status, _ message: String) {
        self.status = status
        self.message = message
    }

    public static func corrupt(_ message: String) -> ModuleError { ModuleError(THOR_E_CORRUPT_INPUT, message) }
    public static func invalid(_ message: String) -> ModuleError { ModuleError(THOR_E_INVALID_ARG, message) }
    public static func internalError(_ message: String) -> ModuleError { ModuleError(THOR_E_INTERNAL, message) }

    public var description: String { message }
}
