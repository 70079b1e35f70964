import ArgumentParser
import Thunderstorm

struct ThunderstormFlags: ParsableArguments {
    @Flag(name: .customLong("thunderstorm"), help: "Run as the Thunderstorm scanning service (HTTP API) instead of scanning paths.")
    var enabled = false

    @Option(name: .customLong("server-host"), help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .customLong("server-port"), parsing: .unconditional, help: "TCP port.")
    var port = 8080

    @Option(name: .customLong("server-cert"), help: "TLS certificate (PEM); TLS is on when given.")
    var cert: String?

    @Option(name: .customLong("server-key"), help: "TLS private key (PEM) for --server-cert.")
    var key: String?

    @Option(name: .customLong("server-upload-dir"), help: "The async queue, its results, stored samples and uploads too big for memory.")
    var uploadDir = "/tmp/thor-uploads"

    @Option(name: .customLong("server-store-samples"), help: "Keep samples: none, all or malicious.")
    var storeSamples = "none"

    @Option(name: .customLong("server-result-cache-size"), parsing: .unconditional, help: "Async results kept (0 keeps none).")
    var resultCacheSize = 10000

    @Option(name: .customLong("sync-only-threads"), parsing: .unconditional, help: "Threads reserved for synchronous /api/check requests.")
    var syncOnlyThreads = 0

    @Option(name: .customLong("server-max-upload"), parsing: .unconditional, help: "Largest accepted sample in bytes (default 2 GiB); larger gets 413.")
    var maxUpload: Int64?

    @Option(name: .customLong("server-memory-upload-limit"), parsing: .unconditional,
            help: "Synchronous samples up to this many bytes stay in memory files (default 64 MiB; 0 = always the upload dir).")
    var memoryUploadLimit: Int64?

    @Option(name: .customLong("server-memory-upload-budget"), parsing: .unconditional,
            help: "Bytes all uploads in memory files may hold together; more go to the upload dir (default: a quarter of the physical memory).")
    var memoryUploadBudget: Int64?

    @Option(name: .customLong("server-sync-wait-limit"), parsing: .unconditional,
            help: "/api/check requests that may wait for a busy scan slot before 503.")
    var syncWaitLimit = 64

    @Option(name: .customLong("server-samples-per-thread"), parsing: .unconditional,
            help: "Samples admitted per thread at once; above 1 they reach the workers in batches (1 = --sync-only-threads reserves whole workers).")
    var samplesPerThread = 4

    @Option(name: .customLong("server-max-connections"), parsing: .unconditional,
            help: "Client connections held at once; more wait until others leave (default: as many as the open-file limit leaves room for).")
    var maxConnections: Int?

    @Option(name: .customLong("server-idle-timeout"), parsing: .unconditional,
            help: "Close a connection quiet for this many seconds with no answer pending, a stalled upload too (0 = never).")
    var idleTimeout: Double = 60

    @Flag(name: .customLong("pure-yara"), help: "Apply YARA only (no IOCs, Sigma or parsers).")
    var pureYara = false

    func options(threads: Int) throws -> ThunderstormOptions {
        var o = ThunderstormOptions()
        o.host = host
        o.port = port
        o.certificatePath = cert
        o.keyPath = key
        o.uploadDirectory = uploadDir
        guard let policy = ThunderstormOptions.StorePolicy(rawValue: storeSamples) else {
            throw ValidationError("--server-store-samples must be none, all or malicious")
        }
        o.storeSamples = policy
        o.resultCacheSize = resultCacheSize
        o.threads = threads
        o.syncOnlyThreads = syncOnlyThreads
        if let maxUpload { o.maxUploadBytes = maxUpload }
        if let memoryUploadLimit { o.memoryUploadBytes = memoryUploadLimit }
        o.memoryUploadBudget = memoryUploadBudget
        o.syncWaitLimit = syncWaitLimit
        o.samplesPerThread = samplesPerThread
        o.pureYara = pureYara
        o.maxConnections = maxConnections
        o.idleTimeout = idleTimeout
        if let problem = o.validate() { throw ValidationError(problem) }
        return o
    }
}
