#if canImport(Glibc)
import Glibc
#endif

/// The service's TCP listening socket, bound and listening, non-blocking.
struct ListeningSocket {
    struct Failure: Error, CustomStringConvertible {
        let description: String

        /// A system call that failed with `code` (errno).
        init(_ operation: String, code: Int32) {
            description = "\(operation): \(String(cString: strerror(code)))"
        }

        init(_ description: String) {
            self.description = description
        }
    }

    let fd: Int32
    /// The bound port (the system's choice for port 0).
    let port: Int

    /// Binds `host` (a name or an address; the first address it resolves to) and `port`.
    init(host: String, port: Int, backlog: Int32 = 256) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var found: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &found)
        guard rc == 0, let address = found else {
            throw Failure("cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(found) }
        let fd = socket(address.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket", code: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw Failure("bind", code: code)
        }
        guard listen(fd, backlog) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw Failure("listen", code: code)
        }
        self.fd = fd
        self.port = Self.localPort(fd)
    }

    /// The peer's IP address as text (as NIO's `SocketAddress.ipAddress` gives it), nil when unknown.
    static func peerAddress(_ fd: Int32) -> String? {
        numericAddress(fd, of: getpeername)?.host
    }

    private static func localPort(_ fd: Int32) -> Int {
        numericAddress(fd, of: getsockname).flatMap { Int($0.port) } ?? 0
    }

    /// The address `name` (getsockname or getpeername) gives for `fd`, as numeric host and port text.
    private static func numericAddress(
        _ fd: Int32, of name: (Int32, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32
    ) -> (host: String, port: String)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var port = [CChar](repeating: 0, count: 16)
        let status = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { address -> Int32 in
                guard name(fd, address, &length) == 0 else { return -1 }
                return getnameinfo(address, length, &host, socklen_t(host.count), &port, socklen_t(port.count), NI_NUMERICHOST | NI_NUMERICSERV)
            }
        }
        guard status == 0 else { return nil }
        return (String(cString: host), String(cString: port))
    }

    func close() { _ = Glibc.close(fd) }
}
