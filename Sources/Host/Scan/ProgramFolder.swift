import Foundation
import Glibc

/// Where the program's own files are: the folder of the executable in a shipped program folder,
/// or the package checkout when running from a `swift build` folder.
public struct ProgramFolder: Sendable {
    public let executableDirectory: String
    public let executablePath: String
    /// Holds signatures/ (or Signatures/ in a checkout), custom-signatures/ and config/.
    public let root: String
    public let signatureDirectories: [String]
    public let configDirectory: String

    public static func current() -> ProgramFolder {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return ProgramFolder(executablePath: exe)
    }

    public init(executablePath: String) {
        self.executablePath = executablePath
        let executableDirectory = FileFields.directory(of: executablePath)
        self.executableDirectory = executableDirectory
        let fm = FileManager.default
        var root = executableDirectory
        var signatures = executableDirectory + "/signatures"
        if !fm.fileExists(atPath: signatures) {
            // A build folder (.build/<triple>/debug): the checkout is a few levels up.
            var dir = executableDirectory
            for _ in 0..<5 {
                dir = FileFields.directory(of: dir)
                if fm.fileExists(atPath: dir + "/Package.swift"), fm.fileExists(atPath: dir + "/Signatures") {
                    root = dir
                    signatures = dir + "/Signatures"
                    break
                }
            }
        }
        self.root = root
        signatureDirectories = [signatures, root + "/custom-signatures"]
        configDirectory = root + "/config"
    }

    /// Plugin folders in search order: `--plugin-dir`, plugins/ beside the executable, the executable's own folder.
    public func pluginDirectories(extra: [String]) -> [String] {
        extra + [executableDirectory + "/plugins", executableDirectory]
    }

    /// A writable cache folder outside the program folder.
    public static func cacheDirectory() -> String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CACHE_HOME"] ?? env["HOME"].map { $0 + "/.cache" } ?? "/tmp"
        let dir = base + "/thor"
        if (try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)) != nil { return dir }
        let fallback = "/tmp/thor-cache-\(getuid())"
        try? FileManager.default.createDirectory(atPath: fallback, withIntermediateDirectories: true)
        return fallback
    }
}
