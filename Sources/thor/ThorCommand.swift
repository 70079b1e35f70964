import ArgumentParser
import Foundation
import Host

@main
struct ThorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thor",
        abstract: "Compromise-assessment scanner: walks paths and runs its scan modules on every element.",
        discussion: """
        Modules are shared objects found in --plugin-dir, in plugins/ beside the executable, and in \
        the executable's own folder. Findings are scored the THOR way and written to a text log \
        (:hostname:_thor_:time:.txt) and, with --jsonfile, a JSON lines log.

        Exit codes: 0 clean, 1 findings (Notice or above), 2 errors during the scan or a scan stopped early, 3 the scan \
        could not start, 64 bad command line.
        """)

    @OptionGroup(title: "Scan") var scan: ScanFlags
    @OptionGroup(title: "Modules") var modules: ModuleFlags
    @OptionGroup(title: "Module switches") var moduleSwitches: ModuleSwitchFlags
    @OptionGroup(title: "Scoring") var scoring: ScoringFlags
    @OptionGroup(title: "Output") var output: OutputFlags
    @OptionGroup(title: "Log line contents") var lines: LogLineFlags
    @OptionGroup(title: "Report files") var reportFiles: ReportFileFlags
    @OptionGroup(title: "Workers and limits") var workers: WorkerFlags
    @OptionGroup(title: "Resource control") var resources: ResourceFlags
    @OptionGroup(title: "Thunderstorm service") var thunderstorm: ThunderstormFlags
    @OptionGroup(title: "Templates") var templates: TemplateFlags

    @Flag(name: .customLong("version"), help: "Print the versions of THOR, YARA, the signature and Sigma databases, OpenSSL and the modules, and exit.")
    var version = false

    /// The same executable is the worker: the supervisor spawns it with the worker argument.
    static func main() {
        // A console piped into a reader that stops (`| head`) must not end the scan: without it,
        // the next console line would kill the process with SIGPIPE before its logs were complete.
        signal(SIGPIPE, SIG_IGN)
        // Under a file size limit (ulimit -f), a write beyond it would kill the process with SIGXFSZ:
        // the scan without its summary, the service with every queued sample. Ignored, the write
        // fails (EFBIG) and is reported: a lost log line, a refused upload.
        signal(SIGXFSZ, SIG_IGN)
        if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == WorkerMain.argument { WorkerMain.run() }
        let expanded: TemplateArguments.Expanded
        do {
            expanded = try TemplateArguments.expand(Array(CommandLine.arguments.dropFirst()),
                                                    defaultTemplate: ProgramFolder.current().configDirectory + "/thor.yml")
        } catch {
            printError("\(error)")
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        if let yaml = expanded.generatedConfig {
            print(yaml, terminator: "")
            return
        }
        main(expanded.arguments)
    }

    /// A message that ends the run, in the form the argument parser's own errors have.
    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("thor: error: \(message)\n".utf8))
    }

    func validate() throws {
        if !version && !modules.listPlugins && !thunderstorm.enabled && scan.path.isEmpty {
            throw ValidationError("nothing to scan: give at least one path with -p PATH (or --list-plugins)")
        }
        if thunderstorm.enabled && !scan.path.isEmpty { throw ValidationError("--thunderstorm scans uploaded samples; it takes no -p PATH") }
        if thunderstorm.enabled && workers.noIsolation { throw ValidationError("--thunderstorm always isolates modules in worker processes") }
    }

    func run() throws {
        var options = ScanOptions()
        scan.apply(to: &options)
        modules.apply(to: &options)
        moduleSwitches.apply(to: &options)
        scoring.apply(to: &options)
        output.apply(to: &options)
        lines.apply(to: &options)
        reportFiles.apply(to: &options)
        workers.apply(to: &options)
        resources.apply(to: &options)
        do {
            try modules.checkFolders()
            if version || modules.listPlugins {
                options.writeNoFiles()
                // The versions alone: what loading the modules says goes unshown unless it is a problem.
                if version && !options.debug { options.consoleMinimum = .warning }
                let inventory = try Scan(options: options).inventory()
                print(version
                    ? VersionReport.render(host: ThorVersion.current, openSSL: ThorVersion.openSSL, versions: inventory.versions, modules: inventory.candidates)
                    : PluginListing.render(inventory.candidates))
                return
            }
            if resources.requireAdmin && geteuid() != 0 {
                throw ConfigError("--require-admin: running as user ID \(geteuid()), not as root; run thor with root rights, or without --require-admin")
            }
            if thunderstorm.enabled {
                // Thunderstorm uses every core unless told otherwise, as THOR does.
                if scan.threads == nil { options.threads = ProcessInfo.processInfo.activeProcessorCount }
                try ThunderstormRunner.run(options: options, flags: thunderstorm)
                return
            }
            for path in options.paths where !FileManager.default.fileExists(atPath: path) {
                throw ConfigError("path does not exist: \(path)")
            }
            // Held until the scan returns; a Thunderstorm service or a version query takes none.
            let lock = resources.noDoubleCheck ? nil : try ScanLock.acquire()
            let scan = try Scan(options: options)
            let stop = InterruptHandler { scan.interrupted.set() }
            let status = try withExtendedLifetime((stop, lock)) { try scan.run() }
            if status != .clean { throw ExitCode(status.rawValue) }
        } catch let error as ConfigError {
            Self.printError(error.description)
            throw ExitCode(ExitStatus.fatal.rawValue)
        }
    }
}
