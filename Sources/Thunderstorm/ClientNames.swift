import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The host name of a client that sent no `source`: THOR logs the submitter's reverse-DNS name,
/// or its address when there is none. Lookups are cached (names and failures alike, for `ttl`
/// seconds, at most `capacity` addresses) and never hold a request longer than `timeout`: a slow
/// resolver gets the address now and fills the cache for later requests.
final class ClientNames: @unchecked Sendable {
    private struct Entry {
        var name: String?
        var expires: Double
        var waiters: [@Sendable (String) -> Void]
    }

    let timeout: Double
    let ttl: Double
    let capacity: Int
    private let resolve: @Sendable (String) -> String?
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    init(timeout: Double = 1, ttl: Double = 600, capacity: Int = 4096,
         resolve: @escaping @Sendable (String) -> String? = ClientNames.reverseLookup) {
        self.timeout = timeout
        self.ttl = ttl
        self.capacity = max(1, capacity)
        self.resolve = resolve
    }

    /// Calls `then` with the name: in place when it is cached, else once the lookup answered or
    /// timed out (from another thread). A callback, so a request with a cached name needs no task.
    func name(of address: String, then: @escaping @Sendable (String) -> Void) {
        let now = ServiceStats.now()
        lock.lock()
        if let entry = entries[address] {
            if let name = entry.name, entry.expires > now {
                lock.unlock()
                then(name)
                return
            }
            if entry.name == nil {
                // A lookup is under way: wait for it (or for its timeout).
                entries[address]?.waiters.append(then)
                lock.unlock()
                return
            }
        }
        if entries.count >= capacity { entries = entries.filter { $0.value.name == nil } }
        entries[address] = Entry(name: nil, expires: 0, waiters: [then])
        lock.unlock()
        let resolve = self.resolve
        DispatchQueue.global().async { self.finish(address, resolve(address) ?? address) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { self.answerWaiters(address, with: address) }
    }

    private func finish(_ address: String, _ name: String) {
        lock.lock()
        let waiters = entries[address]?.waiters ?? []
        entries[address] = Entry(name: name, expires: ServiceStats.now() + ttl, waiters: [])
        lock.unlock()
        for waiter in waiters { waiter(name) }
    }

    private func answerWaiters(_ address: String, with name: String) {
        lock.lock()
        let waiters = entries[address]?.waiters ?? []
        entries[address]?.waiters = []
        lock.unlock()
        for waiter in waiters { waiter(name) }
    }

    /// getnameinfo with NI_NAMEREQD: the PTR name of an IPv4 or IPv6 address, nil when there is none.
    static let reverseLookup: @Sendable (String) -> String? = { address in
        var storage = sockaddr_storage()
        let length: socklen_t
        if address.contains(":") {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            guard inet_pton(AF_INET6, address, &sin6.sin6_addr) == 1 else { return nil }
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: sin6, as: sockaddr_in6.self) }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        } else {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            guard inet_pton(AF_INET, address, &sin.sin_addr) == 1 else { return nil }
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: sin, as: sockaddr_in.self) }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        }
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let status = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, length, &host, socklen_t(host.count), nil, 0, NI_NAMEREQD)
            }
        }
        guard status == 0 else { return nil }
        return String(cString: host)
    }
}
