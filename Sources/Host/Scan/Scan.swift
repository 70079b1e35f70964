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
    /// Set by Ctrl-C: the walk stops, objects in flight finish, every output is flushed.
    public let interrupted = AbortFlag()
    private let outputs: ScanOutputs
    /// The false-positive filter file in use, if any.
    private let falsePositiveFilters: String?
    /// The libraries and signature sets the active modules reported, once they are loaded.
    public private(set) var componentVersions = ComponentVersions()

    public init(options: ScanOptions, program: ProgramFolder = .current()) throws {
        self.options = options
        self.program = program
        let scanID = options.noScanID ? "" : options.scanID ?? ScanIdentity.newScanID(prefix: options.scanIDPrefix)
        var context = LogContext(hostname: ScanIdentity.hostname(), scanID: scanID)
        context.generateUID = options.generateUID
        context.maxReasons = options.maxReasons
        context.truncate = options.truncate
        context.timeStyle = options.timeStyle
        context.keyValue = options.keyValueLog
        self.context = context
        console = ConsoleSink(context: context, minimum: options.debug ? .debug : options.consoleMinimum, colour: options.colour,
                              format: options.consoleFormat)
        reporter = Reporter(scoring: options.scoring, sinks: options.silent ? [] : [console], timeStyle: options.timeStyle)
        if options.suppressPersonalData { reporter.suppressPersonalData() }
        if options.maxHits > 0 { reporter.limitHits(to: options.maxHits) }
        // Before the logs: a bad filter file stops the start without leaving empty logs behind.
        falsePositiveFilters = try Self.loadFalsePositiveFilters(program: program, context: context, reporter: reporter)
        outputs = try ScanOutputs(options: options, context: context, reporter: reporter, started: started)
        if let bytes = options.logLimits.maxOutputBytes {
            reporter.limitOutput(to: bytes) { [interrupted] in interrupted.set() }
        }
    }

    /// `config/false_positive_filters.cfg`, when there: an event whose text (without the line's
    /// date and host header) matches one of its patterns is dropped, as THOR does.
    /// Returns the file, or nil when there is none.
    private static func loadFalsePositiveFilters(program: ProgramFolder, context: LogContext, reporter: Reporter) throws -> String? {
        let path = program.configDirectory + "/false_positive_filters.cfg"
        guard let list = try PatternList.load(path, kind: "false-positive filter"), !list.patterns.isEmpty else { return nil }
        let formatter = TextLineFormatter(context: context)
        reporter.drop(matching: list) { formatter.body($0) }
        return path
    }

    /// Warns of inherited process limits that would cost results (ProcessLimits).
    func reportLimitConcerns() {
        for concern in ProcessLimits.concerns() {
            reporter.message(.warning, module: "Init", concern.message, fields: [("LIMIT", concern.limit)])
        }
    }

    var engineConfig: EngineConfig {
        var moduleOptions = options.moduleOptions
        if options.intense { moduleOptions["intense"] = "1" }
        // Modules that unpack (archives) apply the scan's file size limit to what they open.
        moduleOptions["max-file-size"] = String(options.effectiveMaxFileSize)
        var budgets = options.budgets
        // Intense mode lifts THOR's safeguards: a file may unpack to 4 GiB.
        if options.intense { budgets.maxChildBytes = max(budgets.maxChildBytes, 4 << 30) }
        return EngineConfig(
            pluginDirectories: program.pluginDirectories(extra: options.pluginDirectories),
            modules: options.modules.map { $0.sorted() }, moduleOptions: moduleOptions,
            signatureDirectories: program.signatureDirectories, cacheDirectory: ProgramFolder.cacheDirectory(),
            scoring: options.scoring, maxFileSize: options.effectiveMaxFileSize,
            scanAllFiles: options.intense || options.allFiles, budgets: budgets, disabledModules: options.disabledModules.sorted(),
            memoryLimitMB: options.workerLimits.memoryMB, logContext: context, reportInit: true,
            fileSystemErrors: options.fileSystemErrors)
    }

    /// The module libraries found, and the versions the loaded ones report (their libraries and
    /// signature sets): what --list-plugins and --version print. The modules load in this process
    /// and finish again; nothing is scanned.
    public func inventory() throws -> (candidates: [PluginCandidate], versions: ComponentVersions) {
        let engine = try ScanEngine(config: engineConfig, reporter: reporter)
        defer { engine.finish() }
        try checkSelection(available: engine.loaded.candidates.map(\.name))
        return (engine.loaded.candidates, engine.versions)
    }

    private func checkSelection(available: [String]) throws {
        guard let selected = options.modules else { return }
        let known = Set(available.filter { !$0.isEmpty })
        let unknown = selected.subtracting(known)
        if !unknown.isEmpty {
            throw ConfigError("unknown module(s): \(unknown.sorted().joined(separator: ", ")); available: \(known.sorted().joined(separator: ", "))")
        }
    }

    /// Runs the scan over every path and returns the exit status.
    public func run() throws -> ExitStatus {
        reporter.message(.info, module: "Init", "Thor scan starting", fields: [("VERSION", HostTable.version), ("HOSTNAME", context.hostname)])
        reportLimitConcerns()
        if options.priority != .normal {
            options.priority.apply()
            let now = ProcessPriority.current()
            reporter.message(.debug, module: "Init", "Priority lowered", fields: [("NICE", String(now.nice)), ("IO", now.io)])
        }
        let threads = max(1, options.threads)
        let scanBatch: ([WorkItem], (WorkItem, ScanOutcome) -> Void) -> Void
        let finishModules: () -> Void
        if options.isolation {
            let pool = try startWorkers(threads: threads)
            scanBatch = { pool.scan($0, done: $1) }
            finishModules = pool.shutdown
        } else {
            let engine = try ScanEngine(config: engineConfig, reporter: reporter)
            try checkSelection(available: engine.loaded.candidates.map(\.name))
            announce(engine.loaded.modules.map(\.name), versions: engine.versions, mode: "\(threads) thread(s), no isolation")
            let scanners = ThreadLocalScanners(engine: engine)
            scanBatch = { batch, done in
                scanners.current.scanEach(batch) { index, outcome in done(batch[index], outcome) }
            }
            finishModules = engine.finish
        }
        let excludes = try loadExcludes()
        let queue = WorkQueue<[String]>(capacity: 64)
        let resources = ResourceControl(limits: options.resourceLimits, reporter: reporter,
                                        currentElement: { [statistics] in statistics.snapshot.current },
                                        stop: { [interrupted] in interrupted.set() })
        resources.start()
        defer { resources.finish() }
        let group = DispatchGroup()
        for _ in 0..<threads {
            group.enter()
            let printAll = options.printAll
            let thread = Thread { [queue, statistics, interrupted] in
                Thread.current.name = "scan-feed"
                while let paths = queue.pop() {
                    resources.waitWhilePaused()
                    // After a stop, what is still queued is dropped; objects in flight finish.
                    if interrupted.isSet { continue }
                    scanBatch(paths.map { WorkItem(path: $0) }) { item, outcome in
                        statistics.record(outcome, path: item.path)
                        if printAll { self.reportScanned(item.path, outcome) }
                    }
                }
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        let progress = ProgressTicker(console: console, statistics: statistics, started: started)
        if !options.silent { progress.start() }
        var batcher = PathBatcher(size: 32, threads: threads)
        walk(excludes: excludes) { path in
            if let batch = batcher.add(path) { queue.push(batch) }
        }
        for batch in batcher.finish() { queue.push(batch) }
        queue.close()
        group.wait()
        progress.stop()
        finishModules()
        if options.isolation { reportProcessTimes() }
        return finish()
    }

    /// `--printall`: what became of one file.
    private func reportScanned(_ path: String, _ outcome: ScanOutcome) {
        if let skip = outcome.skip {
            reporter.message(.info, module: "Filescan", "File skipped", fields: [("FILE", path), ("REASON", skip.reason)])
        } else if outcome.examined {
            reporter.message(.info, module: "Filescan", "File scanned", fields: [("FILE", path), ("BYTES_READ", String(outcome.bytes))])
        }
    }

    /// CPU seconds of the supervisor and of its (reaped) workers, for tuning: a debug line.
    private func reportProcessTimes() {
        func seconds(_ who: Int32) -> String {
            var usage = rusage()
            getrusage(__rusage_who_t(who), &usage)
            let total = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
            return String(format: "%.2fs", total)
        }
        reporter.message(.debug, module: "Supervisor", "CPU time",
                         fields: [("SUPERVISOR", seconds(RUSAGE_SELF.rawValue)), ("WORKERS", seconds(RUSAGE_CHILDREN.rawValue))])
    }

    private func announce(_ modules: [String], versions: ComponentVersions, mode: String) {
        componentVersions = versions
        reporter.message(.info, module: "Init", "Active modules: \(modules.isEmpty ? "none" : modules.joined(separator: ", "))",
                         fields: [("MODE", mode)] + versions.pairs.map { ($0.key.uppercased(), $0.value) })
    }

    private func walk(excludes: PatternList?, _ push: (String) -> Void) {
        var walkerOptions = FileWalker.Options()
        walkerOptions.excludes = excludes
        walkerOptions.includeNetworkFileSystems = options.allDrives
        let walker = FileWalker(options: walkerOptions)
        for root in ScanRoots.plan(options.paths) {
            if let cover = root.coveredBy {
                reporter.message(.info, module: "Filescan", "Skipping path already scanned as part of another", fields: [("PATH", root.path), ("WITHIN", cover)])
                continue
            }
            reporter.message(.info, module: "Filescan", "Scanning path", fields: [("PATH", root.path)])
            walker.walk(root.path) { event in
                switch event {
                case .file(let file): push(file.path)
                case .excluded: statistics.skipped(.excluded)
                case .skippedFileSystem(let dir, let why):
                    statistics.skipped(.fileSystem)
                    reporter.message(.info, module: "Filescan", "Skipping \(why)", fields: [("PATH", RawPath.display(dir))])
                case .error(let place, let why):
                    reporter.message(options.fileSystemErrors, module: "Filescan", "Cannot walk path",
                                     fields: [("PATH", RawPath.display(place)), ("ERROR", why)])
                }
                return !interrupted.isSet
            }
        }
    }

    /// Starts the workers of this scan's configuration (a service keeps them for its lifetime).
    func startWorkers(threads: Int) throws -> WorkerPool {
        let pool = WorkerPool(executable: program.executablePath, config: engineConfig, size: threads,
                              limits: options.workerLimits, reporter: reporter, quiet: !options.debug)
        let ready = try pool.start()
        do {
            try checkSelection(available: ready.available)
        } catch {
            pool.shutdown()
            throw error
        }
        announce(ready.loaded, versions: ready.versions, mode: "\(threads) worker process(es)")
        return pool
    }

    /// Writes the end line, closes every output and returns the exit status.
    public func finish() -> ExitStatus {
        if interrupted.isSet {
            // Ctrl-C or a resource limit: what was not reached is not scanned, so the scan is not clean.
            reporter.error(module: "Report", "Scan stopped before its end: files not reached by then were not scanned")
        }
        if let filters = falsePositiveFilters {
            reporter.message(.info, module: "Report", "False-positive filters applied",
                             fields: [("FILE", filters), ("DROPPED", String(reporter.droppedEvents))])
        }
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
        outputs.finish(ScanInformation(
            version: HostTable.version, hostname: context.hostname, arguments: CommandLine.arguments,
            signatureDatabase: componentVersions["signatures"] ?? "", start: started, end: Date(), logFiles: outputs.logFiles,
            falsePositiveFilters: falsePositiveFilters.map { ($0, reporter.droppedEvents) }, scanID: context.scanID,
            filesScanned: snap.files))
        // Counted again: a lost syslog message or log line above is an error of the scan too.
        let final = reporter.currentCounts
        reporter.close()
        if final.errors > 0 { return .errors }
        return final.alerts + final.warnings + final.notices > 0 ? .findings : .clean
    }

    private func loadExcludes() throws -> PatternList? {
        let path = options.excludesFile ?? program.configDirectory + "/directory-excludes.cfg"
        guard let excludes = try PatternList.load(path, kind: "exclude pattern") else {
            if options.excludesFile != nil { throw ConfigError("cannot read excludes file \(path)") }
            return nil
        }
        return excludes
    }
}
