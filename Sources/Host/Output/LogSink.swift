/// Where log events go: a file, the console, syslog, the Thunderstorm result of a sample.
public protocol LogSink: AnyObject {
    func write(_ event: LogEvent)
    /// Flushes and closes; called once at the end of the scan.
    func close()
    /// Bytes written so far, for the log-flood guard (`LogLimits`): files and syslog count, the
    /// console and a sample's result do not.
    var bytesWritten: Int64 { get }
}

extension LogSink {
    public var bytesWritten: Int64 { 0 }
}
