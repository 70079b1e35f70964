/// A shared object found in a plugin folder and what became of it.
public struct PluginCandidate: Sendable {
    public enum State: Sendable, Equatable {
        case loaded
        case refused(String)
        /// Loaded and valid, but not selected by `--modules`.
        case notSelected
    }

    public let path: String
    public var name: String
    public var version: String
    public var abi: String
    public var state: State
}
