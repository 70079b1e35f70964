/// What every log line carries besides its event.
public struct LogContext: Sendable {
    public var hostname: String
    /// Empty: lines carry no scan ID (`--noscanid`).
    public var scanID: String
    /// Every line carries a UID derived from its content (`--genid`): identical messages, same UID.
    public var generateUID = false
    /// Values longer than this are cut (`--truncate`, 0 = never).
    public var truncate: Int = 2048
    /// Reasons written per finding (`--max-reasons`, 0 = all).
    public var maxReasons: Int = 2
    /// Log-file and syslog lines as `KEY='value'` pairs (`--keyval`).
    public var keyValue = false
    /// Line and file times (`--utc`, `--rfc3339`).
    public var timeStyle = TimeStyle.local

    public init(hostname: String, scanID: String) {
        self.hostname = hostname
        self.scanID = scanID
    }
}
