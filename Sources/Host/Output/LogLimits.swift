/// THOR's log-flood safety (thor-spec section 6): a scan that logs without end must not fill the
/// disk or flood a SIEM. Each log file takes at most `maxLinesPerFile` lines (`--max_log_lines`);
/// when one output (a log file or a syslog target) reaches 15/16 of `maxOutputBytes`
/// (`--max-log-size`; THOR's 60 of 64 MB), only Notices, Warnings and Alerts are written, and at
/// `maxOutputBytes` the scan stops.
public struct LogLimits: Sendable, Equatable {
    /// nil: no limit.
    public var maxLinesPerFile: Int?
    /// nil: no limit.
    public var maxOutputBytes: Int64?

    public init(maxLinesPerFile: Int? = 1_000_000, maxOutputBytes: Int64? = 64 << 20) {
        self.maxLinesPerFile = maxLinesPerFile
        self.maxOutputBytes = maxOutputBytes
    }

    /// A long-running service logs for its lifetime: no limit stops or thins it.
    public static let unlimited = LogLimits(maxLinesPerFile: nil, maxOutputBytes: nil)
}

/// The reporter's watch over its largest output: reduced logging, then the stop.
struct LogFloodGuard {
    enum Step: Equatable { case none, reduce, stop }

    let limit: Int64
    let reduceAt: Int64
    private(set) var reduced = false
    private(set) var stopped = false

    init(limit: Int64) {
        self.limit = limit
        reduceAt = limit / 16 * 15
    }

    /// What to do now that the largest output holds `bytes`; each step is taken once.
    mutating func step(largestOutput bytes: Int64) -> Step {
        if !stopped && bytes >= limit {
            stopped = true
            reduced = true
            return .stop
        }
        if !reduced && bytes >= reduceAt {
            reduced = true
            return .reduce
        }
        return .none
    }

    /// The limit as the flag gives it (MB), or in bytes when it is no whole number of them.
    var limitText: String {
        limit % (1 << 20) == 0 ? "\(limit >> 20) MB" : "\(limit) bytes"
    }

    /// Whether an event of `level` is still written (it is counted either way).
    func writes(_ level: Level) -> Bool {
        !reduced || (level >= .notice && level != .error)
    }
}
