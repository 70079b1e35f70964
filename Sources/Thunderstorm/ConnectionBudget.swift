#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How many client connections the service holds at once, from the process's open-file limit.
///
/// Each connection takes a socket and, while it uploads, a file. Past the limit the service could
/// open none of its own files either, and the Swift runtime's thread-pool monitor (libdispatch
/// reads /proc for its threads) traps when its open fails: a thousand idle clients under the
/// usual soft limit of 1024 took the whole service down with SIGILL. Within the budget that
/// cannot happen; clients beyond it wait in the listen backlog until others leave.
enum ConnectionBudget {
    /// Descriptors a connection may hold: its socket and its upload's file.
    static let perConnection = 2
    /// Fewer than this is no service; the limit must be raised.
    static let minimum = 16
    /// Above this, memory (tens of KiB per connection) rather than descriptors is the bound.
    static let ceiling = 16_384

    /// Descriptors kept for everything else: the idle memory files (one per admitted or waiting
    /// sample), each worker's socket, signal and breadcrumb, logs, the queue's files, the runtime.
    static func reserve(_ options: ThunderstormOptions) -> Int {
        256 + options.admittedOrWaitingSamples + 8 * options.threads
    }

    /// The connections that fit in `openFiles` descriptors (at most `ceiling`, or `options.maxConnections`
    /// when it is smaller); nil when fewer than `minimum` fit.
    static func connections(openFiles: Int, options: ThunderstormOptions) -> Int? {
        let fit = min(ceiling, (openFiles - reserve(options)) / perConnection)
        guard fit >= minimum else { return nil }
        return options.maxConnections.map { min($0, fit) } ?? fit
    }

    /// The open-file limit the service runs with: the soft limit raised to the hard one first, as
    /// servers do (the soft default of 1024 is for interactive programs).
    static func raisedOpenFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Self.resource, &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Self.resource, &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur >= rlim_t(Int32.max) ? Int(Int32.max) : Int(limit.rlim_cur)
    }

    #if canImport(Glibc)
    private static let resource = Int32(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif
}
