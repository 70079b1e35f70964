import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A syslog collector on loopback for tests: UDP keeps every datagram, TCP every newline-framed
/// message of every connection. `port` is the one the kernel chose. A `stalled` TCP collector
/// accepts and reads nothing: connections complete in its backlog and sends fill the buffers.
public final class SyslogReceiver: @unchecked Sendable {
    public let port: UInt16
    private let fd: Int32
    private let tcp: Bool
    private let lock = NSLock()
    private var received: [String] = []
    private var connections: [Int32] = []
    private var stopped = false

    /// `port` 0: the kernel picks one.
    public init(tcp: Bool, port wanted: UInt16 = 0, stalled: Bool = false) throws {
        self.tcp = tcp
        let fd = socket(AF_INET, Int32(tcp ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = wanted.bigEndian
        // A collector restarted on its port must not wait for the old connections' TIME_WAIT.
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound, !tcp || listen(fd, 8) == 0 else {
            close(fd)
            throw NSError(domain: "SyslogReceiver", code: 1, userInfo: [NSLocalizedDescriptionKey: "cannot listen on loopback"])
        }
        port = UInt16(bigEndian: address.sin_port)
        guard !stalled else { return }
        Thread { [self] in tcp ? acceptLoop() : datagramLoop() }.start()
    }

    deinit { stop() }

    /// Closes the socket and every TCP connection: a TCP sender's next messages fail.
    public func stop() {
        lock.lock()
        let first = !stopped
        stopped = true
        let open = connections
        lock.unlock()
        guard first else { return }
        for connection in open { shutdown(connection, Int32(SHUT_RDWR)) }
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    /// Waits until `count` messages arrived (at most `timeout` seconds) and returns what arrived.
    public func messages(atLeast count: Int, timeout: Double = 5) -> [String] {
        messages(atLeast: count, timeout: timeout) { _ in true }
    }

    /// The messages `keep` accepts, once there are `count` of them or `timeout` seconds passed.
    public func messages(atLeast count: Int = 1, timeout: Double = 5, where keep: (String) -> Bool) -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var kept = snapshot.filter(keep)
        while kept.count < count && Date() < deadline {
            usleep(10_000)
            kept = snapshot.filter(keep)
        }
        return kept
    }

    private var snapshot: [String] { lock.lock(); defer { lock.unlock() }; return received }

    private func keep(_ message: String) { lock.lock(); received.append(message); lock.unlock() }

    private func datagramLoop() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n >= 0 else { return }
            keep(String(decoding: buffer[..<n], as: UTF8.self))
        }
    }

    private func acceptLoop() {
        while true {
            let connection = accept(fd, nil, nil)
            guard connection >= 0 else { return }
            lock.lock()
            connections.append(connection)
            lock.unlock()
            Thread { [self] in
                defer { close(connection) }
                var pending: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 65_536)
                while true {
                    let n = recv(connection, &buffer, buffer.count, 0)
                    guard n > 0 else { return }
                    pending += buffer[..<n]
                    while let newline = pending.firstIndex(of: 0x0A) {
                        keep(String(decoding: pending[..<newline], as: UTF8.self))
                        pending.removeSubrange(...newline)
                    }
                }
            }.start()
        }
    }
}
