/// Where log events go: a file, the console, syslog, the Thunderstorm result of a sample.
public protocol LogSink: AnyObject {
    func write(_ event: LogEvent)
    /// Flushes and closes; called once at the end of the scan.
    func close()
}
