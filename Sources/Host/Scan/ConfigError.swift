import Foundation

/// A problem with the command line, a configuration file or a signature folder, said plainly.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }

    /// Throws `message` unless `path` is a folder: a folder the configuration names must be there.
    public static func requireFolder(_ path: String, else message: @autoclosure () -> String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ConfigError(message())
        }
    }
}
