import Foundation
import Glibc

/// What a scan writes besides the console: the text and JSON logs, the HTML report, the CSV of
/// reported files and syslog as it goes, the statistics line at its end; and what these outputs
/// lost or cut, said after the summary.
final class ScanOutputs {
    private let options: ScanOptions
    private let context: LogContext
    private let reporter: Reporter
    private let started: Date
    /// The text and JSON logs.
    private(set) var logFiles: [String] = []
    private var fileSinks: [FileLogSink] = []
    private var syslogSinks: [SyslogSink] = []
    private var htmlReport: HTMLReportSink?
    /// Files this scan made: a scan that cannot start removes them (a CSV it appends to stays).
    private var created: [String] = []

    /// Opens every output and adds it to `reporter`.
    init(options: ScanOptions, context: LogContext, reporter: Reporter, started: Date) throws {
        self.options = options
        self.context = context
        self.reporter = reporter
        self.started = started
        try ConfigError.requireFolder(options.outputDirectory, else: "output directory \(options.outputDirectory) does not exist")
        do { try open() } catch {
            // A scan that cannot start leaves no half set of logs behind.
            for path in created { unlink(path) }
            throw error
        }
    }

    private func open() throws {
        let minimum: Level = options.debug ? .debug : .info
        let base = options.outputDirectory + "/" + ScanIdentity.expand(":hostname:_thor_:time:", hostname: context.hostname, time: started)
        if options.writeTextLog {
            let named = options.textLogFile ?? ""
            let path = outputPath(named, default: base + ".txt")
            try add(file: FileLogSink.text(path: path, context: context, minimum: minimum, maxLines: options.logLimits.maxLinesPerFile,
                                           replace: replaces(named)), path: path)
            logFiles.append(path)
        }
        if let json = options.jsonFile {
            let path = outputPath(json, default: base + ".json")
            try add(file: FileLogSink.json(path: path, context: context, minimum: minimum, maxLines: options.logLimits.maxLinesPerFile,
                                           replace: replaces(json)), path: path)
            logFiles.append(path)
        }
        if let html = options.htmlFile {
            // Written at the end under its name; until then only unlinked spool files exist.
            let sink = try HTMLReportSink(path: outputPath(html, default: base + ".html"), context: context, includeInfo: options.includeInfoInHTML)
            reporter.add(sink)
            htmlReport = sink
        }
        if let csv = options.fileHashCSV {
            let path = outputPath(csv, default: options.outputDirectory + "/" + context.hostname + "_files_md5s.csv")
            let existed = access(path, F_OK) == 0
            try add(file: FileLogSink.fileHashes(path: path), path: existed ? nil : path)
        }
        for target in options.syslogTargets {
            let sink = try SyslogSink(target: target, context: context, minimum: minimum, maxLength: options.maxSyslogLength, tls: options.syslogTLS)
            reporter.add(sink)
            syslogSinks.append(sink)
        }
    }

    /// A log named on the command line replaces one of that name unless --appendlog (THOR's);
    /// the default names are continued (see `ScanOptions.appendLog`).
    private func replaces(_ name: String) -> Bool {
        !name.isEmpty && !options.appendLog
    }

    /// `path`: the file the sink created, nil when it appends to one that was there.
    private func add(file sink: FileLogSink, path: String?) {
        reporter.add(sink)
        fileSinks.append(sink)
        if let path { created.append(path) }
    }

    /// Where an output named `name` on the command line goes: `fallback` for "", placeholders
    /// expanded, a relative name in the output directory.
    private func outputPath(_ name: String, default fallback: String) -> String {
        guard !name.isEmpty else { return fallback }
        let named = ScanIdentity.expand(name, hostname: context.hostname, time: started)
        return named.hasPrefix("/") ? named : options.outputDirectory + "/" + named
    }

    /// After the summary line, so that what it says counts every line: syslog messages and log
    /// lines that were lost or cut, then the HTML report and the statistics line. What fails here
    /// is an error of the scan, said in the outputs that still work.
    func finish(_ information: ScanInformation) {
        for sink in syslogSinks {
            let dropped = sink.flush()
            guard dropped > 0 else { continue }
            reporter.error(module: "Report", "Syslog messages could not be sent", fields: [("TARGET", sink.target.description), ("LOST", String(dropped))])
        }
        for sink in fileSinks {
            guard let limit = sink.reachedLineLimit else { continue }
            reporter.message(.warning, module: "LogControl", "Log line limit reached: later lines were not written to this file",
                             fields: [("FILE", sink.path), ("LIMIT", String(limit)), ("SKIPPED", String(sink.skippedLines))])
        }
        for sink in fileSinks {
            // A full or failing disk under one log: the console and the other logs say what it lacks.
            guard let lost = sink.lost else { continue }
            reporter.error(module: "Report", "Log lines could not be written",
                           fields: [("FILE", sink.path), ("LOST", String(lost.lines)), ("ERROR", lost.reason)])
        }
        if let htmlReport {
            do { try htmlReport.writeReport(information, counts: reporter.currentCounts) } catch {
                reporter.error(module: "Report", "HTML report could not be written", fields: [("FILE", htmlReport.path), ("ERROR", "\(error)")])
            }
        }
        writeStatsLine()
    }

    /// `2021-02-17 17:01:25`, local time, as THOR's stats file.
    private static let statsTimeFormat = "%Y-%m-%d %H:%M:%S"

    /// `--stats-file`: `host,start,end,version,arguments,alerts,warnings,notices,errors`, appended.
    private func writeStatsLine() {
        guard let name = options.statsFile else { return }
        let path = outputPath(name, default: name)
        let counts = reporter.currentCounts
        let time = { (date: Date) in TimeStyle.local.formatted(date, Self.statsTimeFormat) }
        let line = CSV.line([context.hostname, time(started), time(Date()), HostTable.version, CommandLine.arguments.dropFirst().joined(separator: " "),
                             String(counts.alerts), String(counts.warnings), String(counts.notices), String(counts.errors)])
        do {
            let file = try LineFile(path: path)
            defer { file.close() }
            file.write(line: line)
            if file.failedLines > 0 { throw ConfigError(String(cString: strerror(file.lastFailure))) }
        } catch {
            reporter.error(module: "Report", "Statistics line could not be written", fields: [("FILE", path), ("ERROR", "\(error)")])
        }
    }
}
