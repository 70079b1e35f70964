/// A problem with the command line, a configuration file or a signature folder, said plainly.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
