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

    private static func localPort(_ fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        return withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            switch Int32(pointer.pointee.ss_family) {
            case AF_INET: return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            case AF_INET6: return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            default: return 0
            }
        }
    }

    /// The peer's IP address as text (as NIO's `SocketAddress.ipAddress` gives it), nil when unknown.
    static func peerAddress(_ fd: Int32) -> String? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        return withUnsafeMutablePointer(to: &storage) { pointer -> String? in
            guard pointer.withMemoryRebound(to: sockaddr.self, capacity: 1, { getpeername(fd, $0, &length) }) == 0 else { return nil }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            switch Int32(pointer.pointee.ss_family) {
            case AF_INET:
                return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    inet_ntop(AF_INET, &address.pointee.sin_addr, &text, socklen_t(text.count)).map { String(cString: $0) }
                }
            case AF_INET6:
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    inet_ntop(AF_INET6, &address.pointee.sin6_addr, &text, socklen_t(text.count)).map { String(cString: $0) }
                }
            default:
                return nil
            }
        }
    }

    func close() { _ = Glibc.close(fd) }
}
