/// FILETIME and SYSTEMTIME decoding and ISO-8601 rendering in evtx-rs's formats.
public enum WindowsTime {
    /// 100 ns ticks between 1601-01-01 and 1970-01-01.
    static let unixEpochTicks: UInt64 = 116_444_736_000_000_000
    static let ticksPerSecond: UInt64 = 10_000_000
    /// 9999-12-31T23:59:59.9999999Z, the last instant with a four-digit year.
    static let maxFiletime: UInt64 = 2_650_467_743_999_999_999

    /// Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    static func civil(fromDays z0: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = Int(doy - (153 * mp + 2) / 5 + 1)
        let m = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Days since 1970-01-01 of a civil date.
    static func days(year y0: Int64, month m: Int, day d: Int) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64(m > 2 ? m - 3 : m + 9)
        let doy = (153 * mp + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    struct Parts {
        var year: Int64, month: Int, day: Int, hour: Int, minute: Int, second: Int
        var ticks: Int  // sub-second 100 ns units, 0..<10_000_000
    }

    static func parts(filetime ft: UInt64) -> Parts {
        let secs = Int64(ft / ticksPerSecond) - Int64(unixEpochTicks / ticksPerSecond)
        let frac = Int(ft % ticksPerSecond)
        let day = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400
        let sod = Int(secs - day * 86400)
        let c = civil(fromDays: day)
        return Parts(year: c.year, month: c.month, day: c.day, hour: sod / 3600,
                     minute: (sod / 60) % 60, second: sod % 60, ticks: frac)
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ` (microseconds, truncated): evtx-rs's rendering of
    /// FILETIME and SYSTEMTIME values such as `TimeCreated/@SystemTime`.
    static func appendISOMicros(filetime ft: UInt64, into out: inout ByteBuffer) {
        let p = parts(filetime: ft)
        out.reserve(32)
        appendDate(p, &out)
        out.put(UInt8(ascii: "."))
        appendDigits(p.ticks / 10, width: 6, &out)
        out.put(UInt8(ascii: "Z"))
    }

    /// `YYYY-MM-DDTHH:MM:SS[.f...]Z`, fraction with trailing zeros trimmed (none when 0):
    /// evtx-rs's rendering of the record header's written time.
    public static func isoTrimmed(filetime ft: UInt64) -> String {
        let p = parts(filetime: ft)
        var out = ByteBuffer(capacity: 64)
        out.reserve(36)
        appendDate(p, &out)
        if p.ticks != 0 {
            var frac = p.ticks * 100  // nanoseconds
            var width = 9
            while frac % 10 == 0 { frac /= 10; width -= 1 }
            out.put(UInt8(ascii: "."))
            appendDigits(frac, width: width, &out)
        }
        out.put(UInt8(ascii: "Z"))
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// `YYYY-MM-DDTHH:MM:SS` (years up to 5 digits, FILETIME's range) into room reserved.
    private static func appendDate(_ p: Parts, _ out: inout ByteBuffer) {
        appendDigits(Int(p.year), width: p.year > 9999 ? 5 : 4, &out)
        out.put(UInt8(ascii: "-"))
        out.putTwoDigits(p.month)
        out.put(UInt8(ascii: "-"))
        out.putTwoDigits(p.day)
        out.put(UInt8(ascii: "T"))
        out.putTwoDigits(p.hour)
        out.put(UInt8(ascii: ":"))
        out.putTwoDigits(p.minute)
        out.put(UInt8(ascii: ":"))
        out.putTwoDigits(p.second)
    }

    /// Zero-padded decimal of a value that fits `width` digits, into room reserved.
    private static func appendDigits(_ v: Int, width: Int, _ out: inout ByteBuffer) {
        var w = width
        if w % 2 == 1 {
            var div = 1
            for _ in 1..<w { div *= 10 }
            out.put(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: (v / div) % 10))
            w -= 1
        }
        var div = 1
        for _ in 0..<max(0, w - 2) { div *= 10 }
        while w > 0 {
            out.putTwoDigits((v / div) % 100)
            div /= 100
            w -= 2
        }
    }

    /// FILETIME of a SYSTEMTIME (16 bytes), or nil when it is not a valid date.
    /// All-zero means "unset" and maps to 1601-01-01 like evtx-rs.
    static func filetime(systemtime b: UnsafeRawBufferPointer, at off: Int) -> UInt64? {
        let year = Int(b.le16(off)), month = Int(b.le16(off + 2)), day = Int(b.le16(off + 6))
        let hour = Int(b.le16(off + 8)), minute = Int(b.le16(off + 10))
        let second = Int(b.le16(off + 12)), ms = Int(b.le16(off + 14))
        if year == 0, month == 0, day == 0, hour == 0, minute == 0, second == 0, ms == 0 {
            return 0
        }
        // A date outside what a FILETIME holds (before 1601) cannot be rendered either.
        guard (1601...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= daysInMonth(year, month), hour < 24, minute < 60, second < 60, ms < 1000
        else { return nil }
        let d = days(year: Int64(year), month: month, day: day)
        let secs = d * 86400 + Int64(hour * 3600 + minute * 60 + second)
        let ticks = (secs + Int64(unixEpochTicks / ticksPerSecond)) * Int64(ticksPerSecond)
        return UInt64(ticks) + UInt64(ms) * 10_000
    }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
