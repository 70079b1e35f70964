import Foundation
import Glibc

/// One file-system scan from start to end: outputs, modules, the walk, the summary.
public final class Scan {
    public let options: ScanOptions
    public let program: ProgramFolder
    public let context: LogContext
    public let reporter: Reporter
    public let statistics = ScanStatistics()
    private let console: ConsoleSink
    private let started = Date()
    public private(set) var logFiles: [String] = []

    public init(options: ScanOptions, program: ProgramFolder = .current()) throws {
        self.options = options
        self.program = program
        var context = LogContext(hostname: ScanIdentity.hostname(), scanID: options.scanID ?? ScanIdentity.newScanID())
        context.maxReasons = options.maxReasons
        self.context = context
        console = ConsoleSink(context: context, minimum: options.debug ? .debug : .info, colour: options.colour)
        reporter = Reporter(scoring: options.scoring, sinks: [console])
        try openLogs()
    }

    private func openLogs() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: options.outputDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigError("output directory \(options.outputDirectory) does not exist")
        }
        let base = options.outputDirectory + "/" + ScanIdentity.expand(":hostname:_thor_:time:", hostname: context.hostname, time: started)
        if options.writeTextLog {
            let path = base + ".txt"
            reporter.add(try TextLogSink(path: path, context: context, minimum: options.debug ? .debug : .info))
            logFiles.append(path)
        }
        if let json = options.jsonFile {
            let path = json.isEmpty ? base + ".json" : options.outputDirectory + "/" + ScanIdentity.expand(json, hostname: context.hostname, time: started)
            reporter.add(try JSONLogSink(path: path, context: context, minimum: options.debug ? .debug : .info))
            logFiles.append(path)
        }
    }

    /// Loads the modules (for `--list-plugins` too).
    public func loadModules() throws -> PluginLoader.Result {
        let loader = PluginLoader(settings: .init(
            directories: program.pluginDirectories(extra: options.pluginDirectories),
            selected: options.modules, options: moduleOptions(),
            signatureDirectories: program.signatureDirectories,
            cacheDirectory: ProgramFolder.cacheDirectory())) { [reporter] level, module, message in
            reporter.message(level, module: module, message)
        }
        let result = try loader.load()
        if let selected = options.modules {
            let known = Set(result.candidates.map(\.name).filter { !$0.isEmpty })
            let unknown = selected.subtracting(known)
            if !unknown.isEmpty {
                throw ConfigError("unknown module(s): \(unknown.sorted().joined(separator: ", ")); available: \(known.sorted().joined(separator: ", "))")
            }
        }
        return result
    }

    private func moduleOptions() -> [String: String] {
        var all = options.moduleOptions
        if options.intense { all["intense"] = "1" }
        return all
    }

    /// Runs the scan over every path and returns the exit status.
    public func run() throws -> ExitStatus {
        reporter.message(.info, module: "Init", "Thor scan starting", fields: [("VERSION", HostTable.version), ("HOSTNAME", context.hostname)])
        let loaded = try loadModules()
        let active = loaded.modules.map(\.name)
        reporter.message(.info, module: "Init", "Active modules: \(active.isEmpty ? "none" : active.joined(separator: ", "))")
        let pipeline = Pipeline(modules: loaded.modules, reporter: reporter, budgets: options.budgets)
        let fileTypes = try loadFileTypes()
        let excludes = try loadExcludes()
        let settings = FileScanner.Settings(maxFileSize: options.effectiveMaxFileSize, scanAllFiles: options.intense || options.allFiles)
        let queue = WorkQueue<WalkedFile>(capacity: 1024)
        let threads = max(1, options.threads)
        let group = DispatchGroup()
        for _ in 0..<threads {
            let scanner = FileScanner(settings: settings, fileTypes: fileTypes, pipeline: pipeline, statistics: statistics, reporter: reporter)
            let thread = Thread { [queue] in
                while let file = queue.pop() { scanner.scan(file) }
                group.leave()
            }
            thread.stackSize = 8 << 20
            group.enter()
            thread.start()
        }
        let progress = ProgressTicker(console: console, statistics: statistics, started: started)
        var walkerOptions = FileWalker.Options()
        walkerOptions.excludes = excludes
        walkerOptions.includeNetworkFileSystems = options.allDrives
        let walker = FileWalker(options: walkerOptions)
        for path in options.paths {
            reporter.message(.info, module: "Filescan", "Scanning path", fields: [("PATH", path)])
            walker.walk(path) { event in
                switch event {
                case .file(let file): queue.push(file)
                case .excluded: statistics.skipped(.excluded)
                case .skippedFileSystem(let dir, let why):
                    statistics.skipped(.fileSystem)
                    reporter.message(.info, module: "Filescan", "Skipping \(why)", fields: [("PATH", dir)])
                case .error(let where_, let why):
                    reporter.error(module: "Filescan", "Cannot walk path", fields: [("PATH", where_), ("ERROR", why)])
                }
                progress.tick()
                return !pipeline.shouldAbort
            }
        }
        queue.close()
        group.wait()
        for module in loaded.modules {
            let ctx = CallContext(module: module.name, item: nil, pipeline: nil) { [reporter] level, message in
                reporter.message(level, module: module.name, message)
            }
            ctx.withOpaque { module.finish(context: $0) }
        }
        return finish()
    }

    private func finish() -> ExitStatus {
        let snap = statistics.snapshot
        let counts = reporter.currentCounts
        let seconds = Date().timeIntervalSince(started)
        var fields: [(key: String, value: String)] = [
            ("TIME", String(format: "%.1fs", seconds)),
            ("ALERTS", String(counts.alerts)), ("WARNINGS", String(counts.warnings)),
            ("NOTICES", String(counts.notices)), ("ERRORS", String(counts.errors)),
            ("FILES", String(snap.files)), ("BYTES", String(snap.bytes)),
        ]
        for reason in ScanStatistics.Skip.allCases { fields.append((reason.rawValue, String(snap.skipped[reason] ?? 0))) }
        reporter.message(.notice, module: "Report", "Thor Scan finished", fields: fields)
        reporter.close()
        if counts.errors > 0 { return .errors }
        return counts.alerts + counts.warnings + counts.notices > 0 ? .findings : .clean
    }

    private func loadFileTypes() throws -> FileTypeSignatures {
        for dir in program.signatureDirectories {
            let path = dir + "/misc/file-type-signatures.txt"
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { return try FileTypeSignatures(text: text) }
        }
        reporter.message(.warning, module: "Init", "No file-type signatures found; magic types are unknown")
        return try FileTypeSignatures(text: "")
    }

    private func loadExcludes() throws -> PathExcludes? {
        let path = options.excludesFile ?? program.configDirectory + "/directory-excludes.cfg"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            if options.excludesFile != nil { throw ConfigError("cannot read excludes file \(path)") }
            return nil
        }
        return try PathExcludes(fileText: text, source: path)
    }
}
