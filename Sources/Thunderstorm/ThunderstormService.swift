import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL

/// `thor --thunderstorm`: the HTTP API over a `SampleScanner`, with its scan slots, durable async
/// queue, counters and sample store. Build it with options and a scanner, then `run()`.
public final class ThunderstormService: Sendable {
    public let options: ThunderstormOptions
    let scanner: any SampleScanner
    let info: ServiceInfo
    let queue: any AsyncSampleQueue
    let scheduler: ScanScheduler
    let stats: ServiceStats
    let store: SampleStore
    let receiver: UploadReceiver
    let clientNames: ClientNames?
    let logger: Logger
    /// Client connections held at once (ConnectionBudget); more wait in the listen backlog.
    public let maxConnections: Int
    /// The open-file limit it was derived from.
    public let openFileLimit: Int

    public struct ConfigurationError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Creates the upload directory and opens (recovers) the async queue. `queue` defaults to a
    /// `DiskSampleQueue` in `<upload dir>/queue`.
    public init(
        options: ThunderstormOptions, scanner: any SampleScanner, info: ServiceInfo,
        queue: (any AsyncSampleQueue)? = nil,
        logger: Logger = Logger(label: "thunderstorm", factory: ServiceLogHandler.init)
    ) throws {
        if let problem = options.validate() { throw ConfigurationError(description: problem) }
        openFileLimit = ConnectionBudget.raisedOpenFileLimit()
        guard let connections = ConnectionBudget.connections(openFiles: openFileLimit, options: options) else {
            let needed = ConnectionBudget.reserve(options) + ConnectionBudget.minimum * ConnectionBudget.perConnection
            throw ConfigurationError(description: "the open-file limit of \(openFileLimit) leaves too little room for client connections; raise it to at least \(needed) (ulimit -n)")
        }
        maxConnections = connections
        self.options = options
        self.scanner = scanner
        self.info = info
        self.logger = logger
        let incoming = options.uploadDirectory + "/incoming"
        try DurableFiles.makeDirectory(incoming)
        // Partial uploads of a previous run were never answered.
        for name in (try? DurableFiles.list(incoming)) ?? [] { unlink(incoming + "/" + name) }
        self.queue = try queue ?? DiskSampleQueue(
            directory: options.uploadDirectory + "/queue", resultCacheSize: options.resultCacheSize,
            durable: options.durableQueue)
        scheduler = ScanScheduler(slots: options.threads * options.samplesPerThread,
                                  syncOnly: options.syncOnlyThreads * options.samplesPerThread, syncWaitLimit: options.syncWaitLimit)
        stats = ServiceStats()
        clientNames = options.resolveClientNames ? ClientNames() : nil
        store = try SampleStore(uploadDirectory: options.uploadDirectory, policy: options.storeSamples)
        // As many memory files as samples may be admitted at once, and as many waiting for a slot.
        let memoryFiles = MemoryFilePool(capacity: options.admittedOrWaitingSamples,
                                         budget: options.memoryUploadBudget ?? Self.physicalMemory / 4)
        receiver = UploadReceiver(directory: incoming, maxBytes: options.maxUploadBytes, memoryLimit: options.memoryUploadBytes,
                                  memoryFiles: memoryFiles)
    }

    /// Serves until SIGINT/SIGTERM. `onListening` gets the bound port (useful with port 0).
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let maxBody = options.maxUploadBytes + 64 * 1024
        let http1 = HTTPServerBuilder.http1(configuration: .init(
            additionalChannelHandlers: [ClientQuirksHandler(maxBodyBytes: maxBody), UploadEndpointHandler(service: self)]))
        let server: HTTPServerBuilder
        if let certificate = options.certificatePath, let key = options.keyPath {
            server = try .tls(http1, tlsConfiguration: Self.tlsConfiguration(certificate: certificate, key: key))
        } else {
            server = http1
        }
        let app = Application(
            responder: ThunderstormResponder(service: self),
            server: server,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil,
                                 availableConnectionsDelegate: MaximumAvailableConnections(maxConnections)),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        let workers = Task { await self.runAsyncWorkers() }
        defer { workers.cancel() }
        await stats.recordQueueLength(queue.pendingCount())
        try await app.runService()
    }

    /// The host's physical memory in bytes (1 GiB when the system does not say).
    static var physicalMemory: Int64 {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        return pages > 0 && size > 0 ? Int64(pages) * Int64(size) : 1 << 30
    }

    static func tlsConfiguration(certificate: String, key: String) throws -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate)
            let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
            return TLSConfiguration.makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        } catch {
            throw ConfigurationError(description: "cannot load --server-cert \(certificate) / --server-key \(key): \(error)")
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
