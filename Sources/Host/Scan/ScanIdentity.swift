import Foundation
import Glibc

/// The host name, scan ID and output file names of a scan.
public enum ScanIdentity {
    public static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        let name = String(cString: buffer)
        return name.isEmpty ? "localhost" : name
    }

    /// `prefix` (THOR's `S-`, `--scanid-prefix`) and 11 characters of `[a-zA-Z0-9_-]`, as THOR's.
    public static func newScanID(prefix: String = "S-") -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
        return prefix + String((0..<11).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }

    /// Replaces `:hostname:` and `:time:` (`2023-04-17_0637`).
    public static func expand(_ template: String, hostname: String, time: Date) -> String {
        template.replacingOccurrences(of: ":hostname:", with: hostname)
            .replacingOccurrences(of: ":time:", with: TimeStyle.local.formatted(time, "%Y-%m-%d_%H%M"))
    }
}
