import Foundation
import Glibc

/// The "Scan Information" block of the HTML report.
public struct ScanInformation: Sendable {
    public var version: String
    public var hostname: String
    public var arguments: [String]
    public var signatureDatabase: String
    public var start: Date
    public var end: Date
    public var logFiles: [String]
    /// The false-positive filter file and the events it dropped, when one was used.
    public var falsePositiveFilters: (file: String, dropped: Int)?
    public var scanID: String
    public var filesScanned: Int

    /// The rows of the block, as THOR names them; this host's facts are read here.
    var rows: [(String, String)] {
        [("Scanner", "THOR (open scanner)"), ("Version", version), ("Run on System", hostname),
         ("Argument List", arguments.joined(separator: " ")),
         ("Signature Database", signatureDatabase.isEmpty ? "none" : signatureDatabase),
         ("Start Time", TimeStyle.rfc3339.fileTimestamp(start)), ("End Time", TimeStyle.rfc3339.fileTimestamp(end)),
         ("IP Addresses", Self.addresses().joined(separator: ", ")),
         ("Run as User", OwnerNames().user(geteuid())), ("Admin Rights", geteuid() == 0 ? "yes" : "no"), ("Platform", Self.platform()),
         ("Log File Name", logFiles.isEmpty ? "none" : logFiles.joined(separator: ", ")),
         ("False Positive Filters Applied", falsePositiveFilters.map { "\($0.file) (\($0.dropped) events dropped)" } ?? "none"),
         ("Scan ID", scanID.isEmpty ? "none" : scanID), ("Files Scanned", String(filesScanned))]
    }

    /// The host's addresses other than loopback, IPv4 and IPv6, each once.
    private static func addresses() -> [String] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { return [] }
        defer { freeifaddrs(list) }
        var found: [String] = []
        var entry = list
        while let current = entry?.pointee {
            entry = current.ifa_next
            guard let address = current.ifa_addr, current.ifa_flags & UInt32(IFF_LOOPBACK) == 0 else { continue }
            let family = Int32(address.pointee.sa_family)
            guard family == AF_INET || family == AF_INET6 else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
            guard getnameinfo(address, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { continue }
            let text = String(cString: host)
            if !found.contains(text) { found.append(text) }
        }
        return found
    }

    private static func platform() -> String {
        var name = utsname()
        guard uname(&name) == 0 else { return "unknown" }
        func text<T>(_ field: inout T) -> String {
            withUnsafeBytes(of: &field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return "\(text(&name.sysname)) \(text(&name.release)) \(text(&name.machine))"
    }
}
