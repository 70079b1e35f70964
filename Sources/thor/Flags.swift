import ArgumentParser
import Foundation
import Host

struct ScanFlags: ParsableArguments {
    @Option(name: [.customShort("p"), .customLong("path")], help: "Path to scan (repeatable).")
    var path: [String] = []

    @Option(name: .customLong("max_file_size"), parsing: .unconditional, help: "Largest file whose content is read, in bytes (default 30 MiB, 200 MiB with --intense).")
    var maxFileSize: Int?

    @Flag(name: .customLong("intense"), help: "Scan the content of every file regardless of type, with the intense size limit.")
    var intense = false

    @Flag(name: .customLong("allfiles"), help: "Scan the content of every file regardless of extension and magic.")
    var allFiles = false

    // Unconditional: "-2" is a value here (THOR's "all cores but 2"), not an option.
    @Option(name: .customLong("threads"), parsing: .unconditional,
            help: "Scanning threads or workers: 0 = all cores, -N = all but N (default 1, all cores with --thunderstorm).")
    var threads: Int?

    @Option(name: .customLong("excludes"), help: "Regex exclude file (default: config/directory-excludes.cfg).")
    var excludes: String?

    @Flag(name: .customLong("alldrives"), help: "Also walk network file systems.")
    var allDrives = false

    @Flag(name: .customLong("nofserrors"), help: "Files and folders that cannot be read are Debug lines, not Errors (a busy system's churn).")
    var noFileSystemErrors = false

    @Option(name: .customLong("max-recursion-depth"), parsing: .unconditional, help: "Depth of nested objects.")
    var maxDepth = 4

    func validate() throws {
        if let maxFileSize, maxFileSize < 0 { throw ValidationError("--max_file_size must not be negative") }
        if maxDepth < 0 { throw ValidationError("--max-recursion-depth must not be negative") }
    }

    /// THOR's reading of --threads: N, or with 0 all cores, with -N all cores but N (at least one).
    static func threads(_ given: Int, cores: Int) -> Int {
        given > 0 ? given : max(1, cores + given)
    }

    func apply(to options: inout ScanOptions) {
        options.paths = path
        options.maxFileSize = maxFileSize
        options.intense = intense
        options.allFiles = allFiles
        options.threads = threads.map { Self.threads($0, cores: ProcessInfo.processInfo.activeProcessorCount) } ?? 1
        options.excludesFile = excludes
        options.allDrives = allDrives
        options.fileSystemErrors = noFileSystemErrors ? .debug : .error
        options.budgets.maxDepth = maxDepth
    }
}

struct ModuleFlags: ParsableArguments {
    @Option(name: .customLong("modules"), help: "Run only these modules (comma-separated, case-insensitive).")
    var modules: String?

    @Option(name: .customLong("plugin-dir"), help: "Folder with module libraries, searched first (repeatable).")
    var pluginDir: [String] = []

    @Flag(name: .customLong("list-plugins"), help: "List the module libraries found, loaded or why not, and exit.")
    var listPlugins = false

    @Option(name: .customLong("yara-dir"), help: "Extra folder of YARA rules (several: comma-separated).")
    var yaraDir: String?

    @Option(name: .customLong("ioc-dir"), help: "Extra folder of IOC files (several: comma-separated).")
    var iocDir: String?

    @Option(name: .customLong("sigma-dir"), help: "Extra folder of Sigma rules (several: ';'-separated).")
    var sigmaDir: String?

    @Option(name: .customLong("yara-timeout"), parsing: .unconditional, help: "Seconds a YARA scan of one object may take.")
    var yaraTimeout = 90

    @Option(name: .customLong("string-context"), parsing: .unconditional, help: "Bytes of context around matched strings.")
    var stringContext = 50

    @Option(name: .customLong("lookback"), parsing: .unconditional, help: "Only events of the last N days (0 = all).")
    var lookback = 0

    @Option(name: .customLong("minimum-sigma-level"), help: "Lowest Sigma rule level reported (default high, medium with --intense).")
    var minimumSigmaLevel: String?

    @Option(name: .customLong("module-option"), help: "KEY=VALUE handed to every module (repeatable).")
    var moduleOption: [String] = []

    func validate() throws {
        for (flag, value) in [("yara-timeout", yaraTimeout), ("string-context", stringContext), ("lookback", lookback)] where value < 0 {
            throw ValidationError("--\(flag) must not be negative")
        }
    }

    func apply(to options: inout ScanOptions) {
        if let modules {
            options.modules = Set(modules.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
        }
        options.pluginDirectories = pluginDir
        var o: [String: String] = ["yara-timeout": String(yaraTimeout), "string-context": String(stringContext), "lookback": String(lookback)]
        if let yaraDir { o["yara-dir"] = yaraDir }
        if let iocDir { o["ioc-dir"] = iocDir }
        if let sigmaDir { o["sigma-dir"] = sigmaDir }
        if let minimumSigmaLevel { o["minimum-sigma-level"] = minimumSigmaLevel }
        for pair in moduleOption {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            o[parts[0]] = parts.count > 1 ? parts[1] : "1"
        }
        options.moduleOptions = o
    }

    /// Every extra rule folder must exist: a mistyped one would give a scan without its rules that
    /// looks clean. The separators are the modules' own.
    func checkFolders() throws {
        let folders = [("--yara-dir", yaraDir, ","), ("--ioc-dir", iocDir, ","), ("--sigma-dir", sigmaDir, ";")]
        for (flag, value, separator) in folders {
            for path in (value ?? "").split(separator: Character(separator)).map(String.init) {
                try ConfigError.requireFolder(path, else: "\(flag): no such folder: \(path)")
            }
        }
    }
}

struct ScoringFlags: ParsableArguments {
    @Option(name: .customLong("notice"), parsing: .unconditional, help: "Lowest score of a Notice.") var notice: Double = 40
    @Option(name: .customLong("warning"), parsing: .unconditional, help: "Lowest score of a Warning.") var warning: Double = 60
    @Option(name: .customLong("alert"), parsing: .unconditional, help: "Lowest score of an Alert.") var alert: Double = 81
    @Option(name: [.customShort("x"), .customLong("min")], parsing: .unconditional, help: "Report only elements with at least this score.") var min: Double = 40
    @Option(name: .customLong("max-reasons"), parsing: .unconditional, help: "Reasons shown per finding (0 = all).") var maxReasons = 2
    @Option(name: .customLong("max-hits"), parsing: .unconditional,
            help: "Reports per rule or IOC per scan; later matches of it are left out of the findings (0 = no cap; not in Thunderstorm).")
    var maxHits = 10000

    func validate() throws {
        if maxReasons < 0 { throw ValidationError("--max-reasons must not be negative (0 shows all)") }
        if maxHits < 0 { throw ValidationError("--max-hits must not be negative (0 = no cap)") }
        // The levels rise with the score: a Notice threshold above the Warning one could never be reached.
        guard notice <= warning && warning <= alert else {
            let given = [("notice", notice), ("warning", warning), ("alert", alert)].map { "--\($0.0) \(String(format: "%g", $0.1))" }
            throw ValidationError("score thresholds must rise: " + given.joined(separator: " <= "))
        }
    }

    func apply(to options: inout ScanOptions) {
        options.scoring.notice = notice
        options.scoring.warning = warning
        options.scoring.alert = alert
        options.scoring.minimum = min
        options.maxReasons = maxReasons
        options.maxHits = maxHits
    }
}

struct OutputFlags: ParsableArguments {
    @Option(name: [.customShort("e"), .customLong("rebase-dir")], help: "Folder for every output file.")
    var rebaseDir = "."

    @Flag(name: .customLong("nolog"), help: "Write no text log, HTML report or CSV of files (unless -o names one).") var noLog = false

    @Option(name: [.customShort("l"), .customLong("logfile")],
            help: ArgumentHelp("Name of the text log (default :hostname:_thor_:time:.txt in the output folder); replaces a log of that name unless --appendlog.", valueName: "file"))
    var logFile: String?

    @Flag(name: .customLong("appendlog"), help: "Continue text and JSON logs named with -l or --jsonfile instead of replacing them.")
    var appendLog = false

    @Option(name: .customLong("jsonfile"), help: "Also write a JSON lines log; '' or the flag alone for :hostname:_thor_:time:.json.")
    var jsonFile: String?

    @Flag(name: .customLong("json"), help: "Write the JSON lines log with its default name.") var json = false

    @Flag(name: .customLong("nocolor"), help: "No colours on the console.") var noColor = false

    @Flag(name: .customLong("reduced"), help: "Only Warnings, Alerts and Errors on the console (the logs keep everything).")
    var reduced = false

    @Flag(name: .customLong("silent"), help: "Nothing on the console, not even progress (the logs keep everything).")
    var silent = false

    @Flag(name: .customLong("printall"), help: "An Info line for every file handed to the modules: scanned, or skipped and why (for audits; long logs).")
    var printAll = false

    @Flag(name: .customLong("debug"), help: "Print debug messages.") var debug = false

    @Option(name: [.customShort("s"), .customLong("syslog")],
            help: ArgumentHelp("Also send every message to syslog: server[:port[:type[:proto]]], default port 514, "
                + "type DEFAULT (the text line), JSON, SYSLOGJSON or SYSLOGKV, protocol UDP, TCP or TCPTLS (repeatable).",
                valueName: "target"),
            transform: { text in
                do { return try SyslogTarget(parsing: text) } catch let error as ConfigError { throw ValidationError(error.description) }
            })
    var syslog: [SyslogTarget] = []

    @Option(name: .customLong("ca"), help: ArgumentHelp("PEM file of certificates trusted for TCPTLS syslog servers, besides the system's (repeatable).", valueName: "file"))
    var ca: [String] = []

    @Flag(name: .customLong("insecure"), help: "Do not check the certificates of TCPTLS syslog servers.")
    var insecure = false

    @Option(name: .customLong("maxsysloglength"), parsing: .unconditional, help: ArgumentHelp("Longest syslog text message in bytes (0 = no limit; JSON is never cut).", valueName: "bytes"))
    var maxSyslogLength = 2048

    @Flag(name: .customLong("utc"), help: "Times in log lines and file times in UTC instead of local time.")
    var utc = false

    @Flag(name: .customLong("rfc3339"), help: "Times in log lines and file times as RFC 3339 in UTC (2020-09-02T17:18:04Z).")
    var rfc3339 = false

    @Flag(name: .customLong("keyval"), help: "Log-file and syslog lines as KEY='value' pairs (a ' or \\ in a value escaped with \\).")
    var keyValue = false

    @Flag(name: .customLong("cmdkeyval"), help: "Console lines as KEY='value' pairs.")
    var consoleKeyValue = false

    @Flag(name: .customLong("cmdjson"), help: "Console lines as the JSON log's objects, one per line.")
    var consoleJSON = false

    @Option(name: .customLong("truncate"), parsing: .unconditional,
            help: ArgumentHelp("Longest value in a log line, in characters; longer ones are cut (0 = no limit).", valueName: "chars"))
    var truncate = 2048

    @Option(name: .customLong("max_log_lines"), parsing: .unconditional,
            help: ArgumentHelp("Lines per log file; the line after them says the rest is skipped (0 = no limit; file scans only).", valueName: "lines"))
    var maxLogLines = 1_000_000

    @Option(name: .customLong("max-log-size"), parsing: .unconditional,
            help: ArgumentHelp("Log flood guard: once a log file or syslog target has taken 15/16 of this many MB, only Notices, Warnings "
                + "and Alerts are written; at the limit the scan stops (0 = no limit; file scans only).", valueName: "MB"))
    var maxLogSize = 64

    func validate() throws {
        if maxSyslogLength < 0 { throw ValidationError("--maxsysloglength must not be negative") }
        if truncate < 0 { throw ValidationError("--truncate must not be negative (0 = no limit)") }
        if maxLogLines < 0 { throw ValidationError("--max_log_lines must not be negative") }
        if maxLogSize < 0 || maxLogSize > 1 << 30 { throw ValidationError("--max-log-size must be between 0 and \(1 << 30) MB") }
        if consoleKeyValue && consoleJSON { throw ValidationError("--cmdkeyval and --cmdjson exclude each other") }
        if noLog && logFile != nil { throw ValidationError("--logfile and --nolog exclude each other") }
        if logFile?.isEmpty == true { throw ValidationError("--logfile needs a file name") }
    }

    func apply(to options: inout ScanOptions) {
        options.syslogTargets = syslog
        options.maxSyslogLength = maxSyslogLength
        options.truncate = truncate
        options.keyValueLog = keyValue
        options.consoleFormat = consoleJSON ? .json : consoleKeyValue ? .keyValue : .text
        options.timeStyle = rfc3339 ? .rfc3339 : utc ? .utc : .local
        options.logLimits = LogLimits(maxLinesPerFile: maxLogLines == 0 ? nil : maxLogLines,
                                      maxOutputBytes: maxLogSize == 0 ? nil : Int64(maxLogSize) << 20)
        options.syslogTLS = SyslogTLSSettings(caFiles: ca, insecure: insecure)
        options.outputDirectory = rebaseDir
        options.writeTextLog = !noLog
        options.textLogFile = logFile
        options.appendLog = appendLog
        options.jsonFile = jsonFile ?? (json ? "" : nil)
        options.colour = !noColor
        if reduced { options.consoleMinimum = .warning }
        options.silent = silent
        options.printAll = printAll
        options.debug = debug
    }
}

struct WorkerFlags: ParsableArguments {
    @Flag(name: .customLong("no-isolation"), help: "Run modules in this process (threads) instead of worker processes; for debugging.")
    var noIsolation = false

    @Option(name: .customLong("worker-memory"), parsing: .unconditional, help: "Resident memory a worker may use, in MB; a worker above it is killed.")
    var workerMemory = 4096

    @Option(name: .customLong("object-timeout"), parsing: .unconditional, help: "Seconds one object may take in a worker before it is killed.")
    var objectTimeout: Double = 300

    @Option(name: .customLong("worker-recycle"), parsing: .unconditional, help: "Replace a worker after this many objects.")
    var workerRecycle = 10_000

    @Option(name: .customLong("worker-recycle-bytes"), parsing: .unconditional, help: "... or after reading this many bytes (default 8 GiB).")
    var workerRecycleBytes: UInt64?

    @Option(name: .customLong("max-module-failures"), parsing: .unconditional, help: "Disable a module after it killed this many workers.")
    var maxModuleFailures = 3

    func validate() throws {
        if workerMemory < 64 { throw ValidationError("--worker-memory must be at least 64 (MB)") }
        if objectTimeout <= 0 { throw ValidationError("--object-timeout must be positive") }
        if workerRecycle < 1 { throw ValidationError("--worker-recycle must be at least 1") }
        if maxModuleFailures < 1 { throw ValidationError("--max-module-failures must be at least 1") }
        if let workerRecycleBytes, workerRecycleBytes < 1 { throw ValidationError("--worker-recycle-bytes must be at least 1") }
    }

    func apply(to options: inout ScanOptions) {
        options.isolation = !noIsolation
        options.workerLimits.memoryMB = workerMemory
        options.workerLimits.objectTimeout = objectTimeout
        options.workerLimits.recycleAfter = workerRecycle
        options.workerLimits.maxModuleFailures = maxModuleFailures
        if let workerRecycleBytes { options.workerLimits.recycleAfterBytes = workerRecycleBytes }
    }
}

struct ResourceFlags: ParsableArguments {
    @Option(name: [.customShort("c"), .customLong("cpulimit")], parsing: .unconditional, help: "Pause while the whole system's CPU use is above this percent (15-100).")
    var cpuLimit: Double = 95

    @Flag(name: .customLong("nocpulimit"), help: "Never pause for CPU use.")
    var noCPULimit = false

    @Option(name: .customLong("minmem"), parsing: .unconditional, help: "Stop the scan when available memory drops below this many MB.")
    var minMem = 50

    @Flag(name: .customLong("norescontrol"), help: "Do not stop the scan on low memory.")
    var noResControl = false

    @Option(name: .customLong("max_runtime"), parsing: .unconditional, help: "Stop the scan after this many hours (0 = no limit).")
    var maxRuntime: Double = 168

    @Flag(name: .customLong("lowprio"), help: "Lower CPU and I/O priority (nice 10, the lowest best-effort I/O level): the default.")
    var lowPrio = false

    @Flag(name: .customLong("verylowprio"), help: "Lowest CPU and I/O priority (nice 19, I/O only when the disk is otherwise idle).")
    var veryLowPrio = false

    @Flag(name: .customLong("lowioprio"), help: "Read only when the disk is otherwise idle (idle I/O class); CPU priority as otherwise chosen.")
    var lowIOPrio = false

    @Flag(name: .customLong("nolowprio"), help: "Keep normal CPU and I/O priority (for hosts that are never idle).")
    var noLowPrio = false

    @Flag(name: .customLong("require-admin"), help: "Refuse to run (exit 3) without root rights, rather than scan with what an unprivileged user can read.")
    var requireAdmin = false

    @Flag(name: .customLong("nodoublecheck"), help: "Run even while another THOR scan runs on this host (by default a second scan refuses to start).")
    var noDoubleCheck = false

    func validate() throws {
        if cpuLimit < 15 || cpuLimit > 100 { throw ValidationError("--cpulimit must be between 15 and 100") }
        if minMem < 0 { throw ValidationError("--minmem must not be negative") }
        if maxRuntime < 0 { throw ValidationError("--max_runtime must not be negative") }
        if [lowPrio, veryLowPrio, noLowPrio].filter({ $0 }).count > 1 {
            throw ValidationError("--lowprio, --verylowprio and --nolowprio exclude each other")
        }
    }

    func apply(to options: inout ScanOptions) {
        options.resourceLimits.cpuLimit = noCPULimit ? nil : cpuLimit
        options.resourceLimits.minimumMemoryMB = noResControl ? nil : minMem
        options.resourceLimits.maxRuntime = maxRuntime == 0 ? nil : maxRuntime * 3600
        var priority = noLowPrio ? ProcessPriority.normal : veryLowPrio ? ProcessPriority(cpu: .veryLow, io: .idle) : .low
        if lowIOPrio { priority.io = .idle }
        options.priority = priority
    }
}
