import Foundation
import Glibc

/// THOR's HTML report ("THOR Scan Report"): the scan's Errors, Alerts, Warnings and Notices (and
/// Info lines with `--include-info-in-html`), counted per module, written as one page at the end.
///
/// The rows are spooled to unlinked files beside the report as the scan goes, so a scan with a
/// million Notices holds none of them in memory and leaves nothing behind if it dies; `write`
/// assembles the page under a temporary name and renames it into place, so a reader never sees
/// half a report.
public final class HTMLReportSink: LogSink, @unchecked Sendable {
    /// The report's sections, in the page's order: problems of the scan first.
    static let sections: [Level] = [.error, .alert, .warning, .notice, .info]

    public let path: String
    private let context: LogContext
    private let includeInfo: Bool
    private var spools: [Level: RowSpool] = [:]
    private var perModule: [String: [Level: Int]] = [:]
    /// A resource-control line may still arrive while the report is written.
    private let lock = NSLock()

    /// Fails when the report's folder cannot take its spool files (the same folder as the report).
    public init(path: String, context: LogContext, includeInfo: Bool) throws {
        self.path = path
        self.context = context
        self.includeInfo = includeInfo
        let folder = (path as NSString).deletingLastPathComponent
        for level in Self.sections where level != .info || includeInfo {
            spools[level] = try RowSpool(folder: folder.isEmpty ? "." : folder)
        }
    }

    public func write(_ event: LogEvent) {
        lock.lock()
        defer { lock.unlock() }
        guard let spool = spools[event.level] else { return }
        perModule[module(of: event), default: [:]][event.level, default: 0] += 1
        spool.append(HTMLReportPage.row(event, context: context))
    }

    private func module(of event: LogEvent) -> String {
        switch event {
        case .message(let m): m.module
        case .finding(let f): f.module
        }
    }

    /// Writes the page; call once, after the scan's last event. Throws when the file system
    /// refuses it (the scan reports that as an error).
    public func writeReport(_ information: ScanInformation, counts scan: Reporter.Counts) throws {
        lock.lock()
        defer { lock.unlock() }
        let temporary = path + ".part"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ConfigError("cannot write HTML report \(temporary): \(String(cString: strerror(errno)))") }
        var failure: Int32 = 0
        let out = { (text: String) in
            guard failure == 0 else { return }
            var text = text
            failure = text.withUTF8 { WriteAll.write(fd, UnsafeRawBufferPointer($0)).error }
        }
        let levels = Self.sections.filter { spools[$0] != nil }
        out(HTMLReportPage.head(information, counts: scan, perModule: perModule, levels: levels))
        for level in levels {
            guard let spool = spools[level] else { continue }
            out(HTMLReportPage.sectionStart(level, rows: perModule.values.reduce(0) { $0 + ($1[level] ?? 0) }))
            if failure == 0 { failure = spool.copy(to: fd) }
            out(HTMLReportPage.sectionEnd)
        }
        out(HTMLReportPage.tail)
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        Glibc.close(fd)
        guard failure == 0, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(failure == 0 ? errno : failure))
            unlink(temporary)
            throw ConfigError("cannot write HTML report \(path): \(reason)")
        }
    }

    public func close() {
        lock.lock()
        defer { lock.unlock() }
        spools.values.forEach { $0.close() }
        spools.removeAll()
    }
}

/// Rendered rows of one section, appended to an unlinked file in 64 KiB writes.
final class RowSpool {
    private static let flushAt = 64 << 10
    private let fd: Int32
    private var buffer: [UInt8] = []
    /// The first error a write met: the report cannot be complete, so it is not written.
    private var failure: Int32 = 0

    init(folder: String) throws {
        var template = Array((folder + "/.thor-report-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ConfigError("cannot write the HTML report's rows in \(folder): \(String(cString: strerror(errno)))") }
        // Unlinked at once: the rows exist only as long as this descriptor does.
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        self.fd = fd
        buffer.reserveCapacity(Self.flushAt)
    }

    func append(_ row: String) {
        buffer += row.utf8
        if buffer.count >= Self.flushAt { flush() }
    }

    private func flush() {
        if failure == 0 { failure = buffer.withUnsafeBytes { WriteAll.write(fd, $0).error } }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Copies every row to `out`; returns 0 or the errno of the first failure.
    func copy(to out: Int32) -> Int32 {
        flush()
        guard failure == 0 else { return failure }
        var chunk = [UInt8](repeating: 0, count: Self.flushAt)
        var offset: off_t = 0
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return errno }
            if n == 0 { return 0 }
            offset += off_t(n)
            let status = chunk.withUnsafeBytes { WriteAll.write(out, UnsafeRawBufferPointer(rebasing: $0[..<n])).error }
            if status != 0 { return status }
        }
    }

    func close() { Glibc.close(fd) }
}
