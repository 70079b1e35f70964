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
    /// Without TLS, UploadLane owns the port and hands Hummingbird the connections it does not
    /// serve itself; Hummingbird's own listener is then on a loopback port nobody is told of.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let maxBody = options.maxUploadBytes + 64 * 1024
        let configuration = HTTP1Channel.Configuration(
            additionalChannelHandlers: [ClientQuirksHandler(maxBodyBytes: maxBody), UploadEndpointHandler(service: self)])
        guard options.certificatePath == nil, options.uploadLane else {
            return try await serve(server: nioServer(configuration), address: .hostname(options.host, port: options.port),
                                   onListening: onListening)
        }
        let handOff = ConnectionHandOff(logger: logger)
        let server = HTTPServerBuilder { responder in
            let channel = HTTP1Channel(responder: responder, configuration: configuration)
            handOff.install(channel)
            return channel
        }
        // Bound first: a port in use is a start-up error, before anything runs.
        let listener = try ListeningSocket(host: options.host, port: options.port)
        defer { listener.close() }
        let lane = try UploadLane(service: self, listener: listener, handOff: handOff)
        do {
            try await serve(server: server, address: .hostname("127.0.0.1", port: 0)) { _ in
                lane.start()
                await onListening(lane.port)
            }
        } catch {
            lane.stop()
            throw error
        }
        // Hummingbird has stopped; the lane's answers in progress and the connections it handed on end next.
        lane.stop()
        await handOff.quiesce()
    }

    /// Hummingbird's HTTP/1 server for every connection, with TLS when a certificate is given.
    private func nioServer(_ configuration: HTTP1Channel.Configuration) throws -> HTTPServerBuilder {
        let http1 = HTTPServerBuilder.http1(configuration: configuration)
        guard let certificate = options.certificatePath, let key = options.keyPath else { return http1 }
        return try .tls(http1, tlsConfiguration: Self.tlsConfiguration(certificate: certificate, key: key))
    }

    private func serve(server: HTTPServerBuilder, address: BindAddress,
                       onListening: @escaping @Sendable (Int) async -> Void) async throws {
        let app = Application(
            responder: ThunderstormResponder(service: self),
            server: server,
            configuration: .init(address: address, serverName: nil,
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
