/// Sends every event at or above a level to one syslog target. A message that cannot be sent is
/// counted, never retried forever: the scan goes on, and its summary names what was lost.
public final class SyslogSink: LogSink {
    private let connection: SyslogConnection
    private let formatter: SyslogFormatter
    private let minimum: Level
    /// Messages that could not be sent.
    public private(set) var dropped = 0
    public var target: SyslogTarget { connection.target }

    /// Resolves the server (and connects, over TCP and TLS); throws a `ConfigError` naming the
    /// target. `tls` checks a TCPTLS target's certificate.
    /// `reconnectDelay`: seconds after a failed reconnect during which messages are given up at once.
    public init(target: SyslogTarget, context: LogContext, minimum: Level = .info, maxLength: Int = 2048,
                tls: SyslogTLSSettings = SyslogTLSSettings(), reconnectDelay: Double = 10) throws {
        connection = try SyslogConnection(target: target, tls: target.transport == .tcpTLS ? SyslogTLSContext(tls) : nil,
                                          reconnectDelay: reconnectDelay)
        formatter = SyslogFormatter(format: target.format, context: context, maxLength: maxLength)
        self.minimum = minimum
    }

    public func write(_ event: LogEvent) {
        guard event.level >= minimum else { return }
        if !connection.send(formatter.message(event)) { dropped += 1 }
    }

    public func close() { connection.close() }
}
