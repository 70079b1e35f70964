/// What `thor --thunderstorm` configures; names and defaults follow THOR's flags.
public struct ThunderstormOptions: Sendable, Equatable {
    public enum StorePolicy: String, Sendable, CaseIterable {
        case none, all, malicious
    }

    /// --server-host
    public var host: String = "127.0.0.1"
    /// --server-port (0 picks a free port; see ThunderstormService.boundPort).
    public var port: Int = 8080
    /// --server-cert / --server-key (PEM); TLS is on when a certificate is given.
    public var certificatePath: String?
    public var keyPath: String?
    /// --server-upload-dir: uploads, the async queue and its result cache live below it.
    public var uploadDirectory: String = "/tmp/thor-uploads"
    /// --server-store-samples
    public var storeSamples: StorePolicy = .none
    /// --server-result-cache-size; 0 keeps no async results.
    public var resultCacheSize: Int = 10000
    /// --threads: scan slots.
    public var threads: Int = 1
    /// Samples admitted per thread at once. Above 1, samples wait at the scanner, which can hand
    /// several to a worker at a time (fewer hand-overs, warm rules); --sync-only-threads then
    /// reserves admissions (`syncOnlyThreads * samplesPerThread`), not whole workers. 1 suits a
    /// scanner that takes one sample at a time; `thor --thunderstorm` sets 4, as its scanner batches.
    public var samplesPerThread: Int = 1
    /// --sync-only-threads: slots that async samples never take.
    public var syncOnlyThreads: Int = 0
    /// How many /api/check requests may wait for a busy slot before the service answers 503;
    /// 0 answers 503 as soon as every slot is busy.
    public var syncWaitLimit: Int = 64
    /// Largest accepted file part in bytes (413 above).
    public var maxUploadBytes: Int64 = 2 << 30
    /// Synchronous samples up to this size stay in a memory file (Linux, as THOR); larger ones move
    /// to the upload directory as they grow. 0 writes every upload to the upload directory.
    public var memoryUploadBytes: Int64 = 64 << 20
    /// The bytes all uploads in memory files may hold together; an upload that finds no room goes
    /// to the upload directory. nil: a quarter of the physical memory.
    public var memoryUploadBudget: Int64?
    /// Log a client without `source` under its reverse-DNS name (THOR does); off: its address.
    public var resolveClientNames: Bool = true
    /// --pure-yara: reported in /api/info; the scanner applies it.
    public var pureYara: Bool = false
    /// --server-max-connections: client connections held at once; nil: as many as the open-file
    /// limit leaves room for (ConnectionBudget), which also caps a larger number.
    public var maxConnections: Int?
    /// --server-idle-timeout: seconds a connection may stay quiet (between requests, or in the
    /// middle of one) while no answer is pending before it is closed; 0 never closes one.
    public var idleTimeout: Double = 60
    /// fsync samples, metadata and results before answering (off only for benchmarks on tmpfs-like disks).
    public var durableQueue: Bool = true
    /// Plain uploads are read by UploadLane, not NIO (without TLS only); off, every request goes
    /// through Hummingbird (tests of that path).
    public var uploadLane: Bool = true

    public init() {}

    /// Samples admitted to scan slots at once plus those that may wait for one: the idle memory
    /// files kept for them (MemoryFilePool), and their share of the open-file reserve (ConnectionBudget).
    var admittedOrWaitingSamples: Int { threads * samplesPerThread + syncWaitLimit }

    /// Checks the combinations THOR rejects; returns a message for the command line.
    public func validate() -> String? {
        if certificatePath != nil && keyPath == nil { return "--server-cert needs --server-key" }
        if keyPath != nil && certificatePath == nil { return "--server-key needs --server-cert" }
        if threads < 1 { return "--threads must be at least 1" }
        if samplesPerThread < 1 { return "--server-samples-per-thread must be at least 1" }
        if syncOnlyThreads < 0 || syncOnlyThreads >= threads {
            return "--sync-only-threads must be below --threads (\(threads)) so async samples get a slot"
        }
        // 0 would refuse every sample with 413: a mistake, not a setting.
        if maxUploadBytes < 1 { return "--server-max-upload must be at least 1 byte" }
        if memoryUploadBytes < 0 { return "--server-memory-upload-limit must not be negative" }
        if let memoryUploadBudget, memoryUploadBudget < 0 { return "--server-memory-upload-budget must not be negative" }
        if resultCacheSize < 0 { return "--server-result-cache-size must not be negative" }
        if !(0...65535).contains(port) { return "--server-port must be 0...65535" }
        if idleTimeout < 0 { return "--server-idle-timeout must not be negative" }
        if let maxConnections, maxConnections < 1 { return "--server-max-connections must be at least 1" }
        return nil
    }
}
