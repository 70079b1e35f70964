/// Everything a scan is told by its command line.
public struct ScanOptions: Sendable {
    public var paths: [String] = []
    public var pluginDirectories: [String] = []
    /// Lower-case names from `--modules`; nil for every module.
    public var modules: Set<String>?
    /// Modules not to run, whatever `modules` says (`--noyara`, `--noarchive`, ...).
    public var disabledModules: Set<String> = []
    public var outputDirectory = "."
    public var writeTextLog = true
    /// The text log's name (`-l/--logfile`); nil for `:hostname:_thor_:time:.txt`.
    public var textLogFile: String?
    /// Logs named on the command line are continued, not replaced (`--appendlog`). Logs with the
    /// default names are always continued: two scans in one minute share a name, and neither log
    /// may be lost.
    public var appendLog = false
    /// nil: no JSON log; "": the default name; else this file name.
    public var jsonFile: String?
    /// The HTML report, written at the end: nil for none, "" for the default name, else this name
    /// (the `thor` command writes it unless told not to).
    public var htmlFile: String?
    /// Info lines in the HTML report too (`--include-info-in-html`).
    public var includeInfoInHTML = false
    /// `md5,path,score` of every reported file, appended: nil for none, "" for
    /// `:hostname:_files_md5s.csv`, else this name (`-o/--csvfile`, `--nocsv`; the `thor` command
    /// writes it unless told not to).
    public var fileHashCSV: String?
    /// One line per scan appended here (`--stats-file`): host, start, end, version, arguments, counts.
    public var statsFile: String?
    /// `-s/--syslog` destinations, and the longest text message sent to them.
    public var syslogTargets: [SyslogTarget] = []
    public var maxSyslogLength = 2048
    /// Lines per log file and the log-flood guard (`--max_log_lines`, `--max-log-size`).
    public var logLimits = LogLimits()
    /// How TCPTLS syslog servers are checked (`--ca`, `--insecure`).
    public var syslogTLS = SyslogTLSSettings()
    public var maxFileSize: Int?
    public var scoring = Scoring()
    public var maxReasons = 2
    /// `--max-hits`: reports per rule or IOC per scan (0: no cap).
    public var maxHits = 10000
    /// Longest value in a log line (`--truncate`, 0 = no limit).
    public var truncate = 2048
    /// Line and file times (`--utc`, `--rfc3339`).
    public var timeStyle = TimeStyle.local
    /// `KEY='value'` lines in the log file and syslog (`--keyval`), on the console (`--cmdkeyval`).
    public var keyValueLog = false
    /// Console lines as text, `KEY='value'` pairs (`--cmdkeyval`) or JSON (`--cmdjson`).
    public var consoleFormat = ConsoleSink.Format.text
    public var intense = false
    public var allFiles = false
    public var threads = 1
    public var colour = true
    /// `-i/--scanid`; else a random one after `scanIDPrefix`; none at all with `noScanID`.
    public var scanID: String?
    public var scanIDPrefix = "S-"
    public var noScanID = false
    /// A UID on every line, derived from its content (`--genid`).
    public var generateUID = false
    /// User names out of every log (`--suppresspi`).
    public var suppressPersonalData = false
    public var excludesFile: String?
    public var allDrives = false
    public var debug = false
    /// Level of the lines about files and folders that cannot be read: Debug with --nofserrors.
    public var fileSystemErrors = Level.error
    /// The lowest level the console shows (`debug` shows everything).
    public var consoleMinimum = Level.info
    /// Nothing on the console, not even progress (`--silent`); the logs are written as always.
    public var silent = false
    /// An Info line for every file the walk hands to the workers, scanned or skipped (`--printall`).
    public var printAll = false
    /// Options passed to every module (yara-dir, ioc-dir, string-context, ...).
    public var moduleOptions: [String: String] = [:]
    public var budgets = Pipeline.Budgets()
    /// Modules run in worker processes (false: `--no-isolation`, threads in this process).
    public var isolation = true
    public var workerLimits = WorkerLimits()
    /// CPU pause, free-memory stop, runtime limit.
    public var resourceLimits = ResourceControl.Limits()
    /// CPU and I/O priority (`--lowprio`, the default; `--verylowprio`, `--lowioprio`, `--nolowprio`).
    public var priority = ProcessPriority.low

    public init() {}

    /// Console only: for runs that scan nothing (`--version`, `--list-plugins`).
    public mutating func writeNoFiles() {
        writeTextLog = false
        jsonFile = nil
        htmlFile = nil
        fileHashCSV = nil
        statsFile = nil
    }

    /// THOR's defaults: 30 MiB, 200 MiB in intense mode.
    public var effectiveMaxFileSize: Int { maxFileSize ?? (intense ? 209_715_200 : 31_457_280) }
}
