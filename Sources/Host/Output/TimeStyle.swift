import Foundation
import Glibc

/// How log lines and file times show time: THOR's ANSI C form in local time by default, in UTC
/// with `--utc`, or RFC 3339 in UTC with `--rfc3339` (what SIEMs parse without a time-zone guess).
public enum TimeStyle: UInt8, Sendable {
    case local, utc, rfc3339

    /// A log line's time: `Nov  2 11:19:14` (the day padded with a space), or `2020-11-02T11:19:14Z`.
    public func lineTimestamp(_ date: Date) -> String {
        let parts = calendarParts(time_t(date.timeIntervalSince1970))
        return self == .rfc3339 ? format("%Y-%m-%dT%H:%M:%SZ", parts) : format("%b %e %H:%M:%S", parts)
    }

    /// `date` as strftime's `pattern` writes it, in this style's time zone.
    func formatted(_ date: Date, _ pattern: String) -> String {
        format(pattern, calendarParts(time_t(date.timeIntervalSince1970)))
    }

    /// `fileTimestamp` of a `Date`, cut (not rounded) to the millisecond.
    func fileTimestamp(_ date: Date) -> String {
        let ms = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        return fileTimestamp(timespec(tv_sec: ms / 1000, tv_nsec: ms % 1000 * 1_000_000))
    }

    /// A file time, to the millisecond: `Wed Sep  2 17:18:04.000 2020`, or `2020-09-02T17:18:04.000Z`.
    func fileTimestamp(_ ts: timespec) -> String {
        let parts = calendarParts(ts.tv_sec)
        let milliseconds = String(format: ".%03d", ts.tv_nsec / 1_000_000)
        if self == .rfc3339 { return format("%Y-%m-%dT%H:%M:%S", parts) + milliseconds + "Z" }
        return format("%a %b %e %H:%M:%S", parts) + milliseconds + " " + format("%Y", parts)
    }

    private func calendarParts(_ seconds: time_t) -> tm {
        var t = seconds
        var parts = tm()
        if self == .local { localtime_r(&t, &parts) } else { gmtime_r(&t, &parts) }
        return parts
    }

    private func format(_ pattern: String, _ parts: tm) -> String {
        var parts = parts
        var buffer = [CChar](repeating: 0, count: 40)
        strftime(&buffer, buffer.count, pattern, &parts)
        return String(cString: buffer)
    }
}
