import Foundation
import Host
import PluginKit
import Thunderstorm

/// `thor --thunderstorm`: the sample service in front of the host's workers, until SIGINT/SIGTERM.
enum ThunderstormRunner {
    static func run(options scanOptions: ScanOptions, flags: ThunderstormFlags) throws {
        // Before any thread or worker starts, so that all of the service's threads inherit it.
        SchedulingPolicy.serviceYieldsToWorkers()
        let serviceOptions = try flags.options(threads: scanOptions.threads)
        var options = scanOptions
        options.intense = true // Thunderstorm scans every sample fully, whatever its type
        // A service logs for its lifetime; the scan's line and flood limits would silence or stop it.
        options.logLimits = .unlimited
        // Nor a per-scan cap of reports per rule: it would leave a rule out of every later answer.
        options.maxHits = 0
        // Files of a scan's end: a service has no end (its findings are in the logs and answers).
        options.htmlFile = nil
        options.fileHashCSV = nil
        options.statsFile = nil
        if flags.pureYara { options.modules = ["yara"] }
        let scan = try Scan(options: options)
        let service = try SampleService(scan: scan)
        // The modules reported these while the workers started (an unused module reports nothing: "").
        let versions = scan.componentVersions
        let info = ServiceInfo(thorVersion: ThorVersion.current, buildTimestamp: buildTimestamp(scan.program.executablePath),
                               yaraVersion: versions["yara"] ?? "", signatureVersion: versions["signatures"] ?? "",
                               sigmaVersion: versions["sigma"] ?? "", licenseExpirationDate: "", licenseOwner: "",
                               arguments: Array(CommandLine.arguments.dropFirst()))
        let server: ThunderstormService
        do {
            server = try ThunderstormService(options: serviceOptions,
                                             scanner: HostSampleScanner(service: service, maxReasons: options.maxReasons),
                                             info: info)
        } catch {
            // An upload folder that cannot be made or a queue that cannot be opened: a start-up
            // error (exit 3), after the workers and the logs were closed properly.
            service.shutdown()
            throw ConfigError("Thunderstorm service could not start: \(error)")
        }
        scan.reporter.message(.info, module: "Thunderstorm", "Connection limit",
                              fields: [("CONNECTIONS", String(server.maxConnections)), ("OPEN_FILE_LIMIT", String(server.openFileLimit))])
        ThunderstormService.runConcurrencyOnEventLoops(scanThreads: serviceOptions.threads)
        let finished = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: Error?
        nonisolated(unsafe) var listened = false
        Task {
            do {
                try await server.run { port in
                    listened = true
                    scan.reporter.message(.info, module: "Thunderstorm", "Listening",
                                          fields: [("ADDRESS", flags.host), ("PORT", String(port))])
                }
            } catch {
                failure = error
            }
            finished.signal()
        }
        finished.wait()
        service.shutdown()
        if let failure {
            // A failure before the listener was up (port taken, unreadable certificate) is a start-up error.
            throw ConfigError(listened ? "Thunderstorm service stopped: \(failure)"
                : "Thunderstorm service could not start on \(flags.host):\(flags.port): \(failure)")
        }
    }

    /// THOR reports when it was built; for this host that is when its executable was written (UTC).
    private static func buildTimestamp(_ executable: String) -> String {
        FileTime.modified(executable).map { FileTime.utc($0, "%Y-%m-%d %H:%M:%S") } ?? ""
    }
}
