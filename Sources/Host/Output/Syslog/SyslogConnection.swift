import Glibc

/// A connected socket to one syslog target. UDP sends a datagram a message; TCP (and TCP with
/// TLS) sends newline-terminated messages (RFC 6587 non-transparent framing) and reconnects once
/// when a send fails, so a restarted collector loses at most the message in flight.
final class SyslogConnection {
    let target: SyslogTarget
    private let address: [UInt8]
    private let family: Int32
    private let tls: SyslogTLSContext?
    private var fd: Int32 = -1
    private var session: SyslogTLSSession?
    /// Why the last connect failed, for the start-up error.
    private var failure = ""
    /// After a failed connect, messages are given up without trying again until this moment
    /// (monotonic seconds): a server that drops packets would otherwise cost every message the
    /// full connect timeout.
    private var nextAttempt = 0.0
    let reconnectDelay: Double
    /// A send or connect may block this long before the message is given up.
    static let timeoutSeconds = 3

    /// Resolves the server once; a name that does not resolve is a configuration error. `tls` is
    /// required for a TCPTLS target.
    init(target: SyslogTarget, tls: SyslogTLSContext?, reconnectDelay: Double = 10) throws {
        self.target = target
        self.tls = tls
        self.reconnectDelay = reconnectDelay
        var hints = addrinfo()
        hints.ai_socktype = Int32(target.transport == .udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(target.host, String(target.port), &hints, &list)
        guard rc == 0, let first = list else {
            throw ConfigError("syslog server \(target.host) cannot be resolved: \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        family = first.pointee.ai_family
        address = Array(UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(first.pointee.ai_addrlen)))
        if target.transport != .udp, !connect() {
            throw ConfigError("syslog server \(target) does not accept a connection: \(failure)")
        }
    }

    deinit { close() }

    /// Sends one message (framing added here); false when it could not be sent.
    func send(_ message: String) -> Bool {
        var bytes = Array(message.utf8)
        if target.transport != .udp { bytes.append(0x0A) }
        if fd < 0, !reconnect() { return false }
        if write(bytes) { return true }
        guard target.transport != .udp else { return false }
        close()
        return reconnect() && write(bytes)
    }

    /// `connect`, unless the last one failed less than `reconnectDelay` seconds ago.
    private func reconnect() -> Bool {
        let now = MonotonicClock.seconds
        guard now >= nextAttempt else { return false }
        if connect() { return true }
        nextAttempt = now + reconnectDelay
        return false
    }

    func close() {
        session?.shutdown()
        session = nil
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    private func connect() -> Bool {
        let type = target.transport == .udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue
        let socket = Glibc.socket(family, Int32(type) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { return false }
        var timeout = timeval(tv_sec: Self.timeoutSeconds, tv_usec: 0)
        // Bounds connect() and send() of a TCP target that stops reading.
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = address.withUnsafeBytes {
            Glibc.connect(socket, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t($0.count)) == 0
        }
        guard connected else {
            failure = String(cString: strerror(errno))
            Glibc.close(socket)
            return false
        }
        if target.transport == .tcpTLS {
            guard let tls else { failure = "no TLS context"; Glibc.close(socket); return false }
            do {
                session = try SyslogTLSSession(fd: socket, host: target.host, context: tls)
            } catch {
                failure = "\(error)"
                Glibc.close(socket)
                return false
            }
        }
        fd = socket
        return true
    }

    private func write(_ bytes: [UInt8]) -> Bool {
        if let session { return session.write(bytes) }
        return (try? Wire.sendAll(fd, bytes)) != nil
    }
}
