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
        let times = paths.compactMap(FileTime.modified)
        return times.max().map { FileTime.utc($0, "%Y/%m/%d-%H%M%S") }
    }
}

/// File modification times as THOR prints them, without Foundation (modules may not link it).
public enum FileTime {
    /// Seconds since the epoch; nil when `path` cannot be read.
    public static func modified(_ path: String) -> time_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mtim.tv_sec : nil
    }

    /// `seconds` in UTC, formatted by strftime's `pattern`.
    public static func utc(_ seconds: time_t, _ pattern: String) -> String {
        var time = seconds
        var parts = tm()
        gmtime_r(&time, &parts)
        var text = [CChar](repeating: 0, count: 64)
        let n = strftime(&text, text.count, pattern, &parts)
        return String(decoding: text.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
