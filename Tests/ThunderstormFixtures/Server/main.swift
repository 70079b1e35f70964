import Thunderstorm
#if canImport(Glibc)
import Glibc
#endif

// TEST FIXTURE, not a product: serves the Thunderstorm API over MarkerScanner so tests and benchmarks
// can run the service before `thor --thunderstorm` is wired to the host. Prints "LISTENING <port>".
//
//   thunderstorm-testserver [--host H] [--port P] [--upload-dir D] [--threads N] [--sync-only-threads N]
//       [--sync-wait-limit N] [--result-cache-size N] [--max-upload BYTES] [--cert PEM --key PEM]
//       [--store none|all|malicious] [--marker TEXT] [--scan-delay-ms MS] [--no-fsync]
//       [--memory-upload-limit BYTES] [--memory-upload-budget BYTES] [--no-reverse-dns] [--idle-timeout SECONDS]
//       [--no-upload-lane]
//   thunderstorm-testserver --bench-direct DIR [--threads N] [--repeat N]

var options = ThunderstormOptions()
options.port = 0
options.uploadDirectory = "/tmp/thunderstorm-testserver"
options.threads = 2
var marker = "THUNDERSTORM-TEST-MARKER"
var delayMilliseconds: UInt64 = 0
var resultDelayMilliseconds: UInt64 = 0
var benchDirectory: String?
var repeats = 1

var arguments = CommandLine.arguments.dropFirst().makeIterator()
func value(_ flag: String) -> String {
    guard let v = arguments.next() else {
        fputs("\(flag) needs a value\n", stderr)
        exit(2)
    }
    return v
}
func number(_ flag: String) -> Int {
    guard let n = Int(value(flag)) else {
        fputs("\(flag) needs an integer\n", stderr)
        exit(2)
    }
    return n
}
while let flag = arguments.next() {
    switch flag {
    case "--host": options.host = value(flag)
    case "--port": options.port = number(flag)
    case "--upload-dir": options.uploadDirectory = value(flag)
    case "--threads": options.threads = number(flag)
    case "--sync-only-threads": options.syncOnlyThreads = number(flag)
    case "--sync-wait-limit": options.syncWaitLimit = number(flag)
    case "--result-cache-size": options.resultCacheSize = number(flag)
    case "--max-upload": options.maxUploadBytes = Int64(number(flag))
    case "--cert": options.certificatePath = value(flag)
    case "--key": options.keyPath = value(flag)
    case "--store":
        guard let policy = ThunderstormOptions.StorePolicy(rawValue: value(flag)) else { fputs("--store none|all|malicious\n", stderr); exit(2) }
        options.storeSamples = policy
    case "--marker": marker = value(flag)
    case "--scan-delay-ms": delayMilliseconds = UInt64(number(flag))
    case "--no-fsync": options.durableQueue = false
    case "--memory-upload-limit": options.memoryUploadBytes = Int64(number(flag))
    case "--memory-upload-budget": options.memoryUploadBudget = Int64(number(flag))
    case "--no-reverse-dns": options.resolveClientNames = false
    case "--idle-timeout": options.idleTimeout = Double(value(flag)) ?? -1
    case "--no-upload-lane": options.uploadLane = false
    case "--bench-direct": benchDirectory = value(flag)
    case "--repeat": repeats = number(flag)
    case "--result-delay-ms": resultDelayMilliseconds = UInt64(number(flag))
    default:
        fputs("unknown argument \(flag)\n", stderr)
        exit(2)
    }
}

let scanner = MarkerScanner(marker: Array(marker.utf8), delayNanoseconds: delayMilliseconds * 1_000_000)

if let benchDirectory {
    await DirectScanBenchmark.run(directory: benchDirectory, scanner: scanner, concurrency: options.threads, repeats: repeats)
    exit(0)
}

let info = ServiceInfo(
    thorVersion: "0.0.0-testserver", buildTimestamp: "2026-11-29 00:00:00", yaraVersion: "none",
    signatureVersion: "fixture", sigmaVersion: "none", licenseExpirationDate: "2099/12/31",
    licenseOwner: "thunderstorm-testserver", arguments: Array(CommandLine.arguments.dropFirst()))
do {
    let disk = try DiskSampleQueue(directory: options.uploadDirectory + "/queue", resultCacheSize: options.resultCacheSize,
                                   durable: options.durableQueue)
    let queue: any AsyncSampleQueue = resultDelayMilliseconds == 0 ? disk
        : SlowResultQueue(queue: disk, delayNanoseconds: resultDelayMilliseconds * 1_000_000)
    let service = try ThunderstormService(options: options, scanner: scanner, info: info, queue: queue)
    try await service.run { port in
        print("LISTENING \(port)")
        fflush(stdout)
    }
} catch {
    fputs("thunderstorm-testserver: \(error)\n", stderr)
    exit(1)
}
