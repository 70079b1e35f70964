import Foundation

/// Sends every event at or above a level to one syslog target. A message that cannot be sent is
/// counted, never retried forever: the scan goes on, and its summary names what was lost.
///
/// Messages go out in order from a thread of the sink's own: a TCP send to a collector that stops
/// reading blocks for up to 3 s, and that must not hold up the scan, which writes under the
/// reporter's lock. At most `maxQueuedBytes` wait; beyond that a message is counted lost at once.
public final class SyslogSink: LogSink {
    private let connection: SyslogConnection
    private let formatter: SyslogFormatter
    private let minimum: Level
    private let condition = NSCondition()
    private var queue: [String] = []
    private var head = 0
    private var queuedBytes = 0
    /// A message taken by the sending thread and not yet sent or given up.
    private var sending = false
    private var lost = 0
    private var closed = false
    private var accepted: Int64 = 0
    private let stopped = DispatchSemaphore(value: 0)
    static let maxQueuedBytes = 16 << 20
    /// How long `flush` waits for queued messages before it counts them lost.
    let drainSeconds: Double
    public var target: SyslogTarget { connection.target }

    /// Resolves the server (and connects, over TCP and TLS); throws a `ConfigError` naming the
    /// target. `tls` checks a TCPTLS target's certificate.
    /// `reconnectDelay`: seconds after a failed reconnect during which messages are given up at once.
    public init(target: SyslogTarget, context: LogContext, minimum: Level = .info, maxLength: Int = 2048,
                tls: SyslogTLSSettings = SyslogTLSSettings(), reconnectDelay: Double = 10, drainSeconds: Double = 10) throws {
        connection = try SyslogConnection(target: target, tls: target.transport == .tcpTLS ? SyslogTLSContext(tls) : nil,
                                          reconnectDelay: reconnectDelay)
        formatter = SyslogFormatter(format: target.format, context: context, maxLength: maxLength)
        self.minimum = minimum
        self.drainSeconds = drainSeconds
        Thread { [self] in
            Thread.current.name = "syslog-send"
            sendQueued()
        }.start()
    }

    public func write(_ event: LogEvent) {
        guard event.level >= minimum else { return }
        let message = formatter.message(event)
        condition.lock()
        defer { condition.unlock() }
        guard !closed, queuedBytes + message.utf8.count <= Self.maxQueuedBytes else {
            lost += 1
            return
        }
        queue.append(message)
        queuedBytes += message.utf8.count
        accepted += Int64(message.utf8.count)
        condition.broadcast()
    }

    /// Bytes of the messages taken for sending.
    public var bytesWritten: Int64 {
        condition.lock()
        defer { condition.unlock() }
        return accepted
    }

    /// Waits until every message written so far was sent or given up, at most `drainSeconds` (what
    /// still waits then is counted lost), and returns how many messages were lost in all.
    public func flush() -> Int {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(drainSeconds)
        while head < queue.count || sending {
            if !condition.wait(until: deadline) {
                lost += queue.count - head
                queue.removeAll()
                head = 0
                queuedBytes = 0
                break
            }
        }
        return lost
    }

    /// Sends what waits (see `flush`), stops the sending thread and closes the connection.
    public func close() {
        _ = flush()
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
        stopped.wait()
        connection.close()
    }

    private func sendQueued() {
        condition.lock()
        while true {
            while head == queue.count && !closed { condition.wait() }
            if head == queue.count { break }
            let message = queue[head]
            head += 1
            queuedBytes -= message.utf8.count
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1024 && head * 2 >= queue.count {
                queue.removeFirst(head)
                head = 0
            }
            sending = true
            condition.unlock()
            let sent = connection.send(message)
            condition.lock()
            sending = false
            if !sent { lost += 1 }
            condition.broadcast()
        }
        condition.unlock()
        stopped.signal()
    }
}
