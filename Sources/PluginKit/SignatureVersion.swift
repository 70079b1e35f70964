#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A signature set's version for `ScanHost.reportVersion`: the modification time of its newest
/// file, in UTC and THOR's format ("2026/11/29-101500"). A set carries no version of its own (a
/// git checkout of signature-base does not), and the newest file is what an update changes.
public enum SignatureVersion {
    /// Nil when none of the files can be read.
    public static func newest(of paths: [String]) -> String? {
        var newest: time_t?
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            newest = max(newest ?? info.st_mtim.tv_sec, info.st_mtim.tv_sec)
        }
        return newest.map(format)
    }

    static func format(_ seconds: time_t) -> String {
        var time = seconds
        var parts = tm()
        gmtime_r(&time, &parts)
        var text = [CChar](repeating: 0, count: 32)
        let n = strftime(&text, text.count, "%Y/%m/%d-%H%M%S", &parts)
        return String(decoding: text.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
