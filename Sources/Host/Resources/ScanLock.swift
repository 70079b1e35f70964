import CHostSystem
import Glibc

/// THOR's double-run check: one file scan per host at a time, so that two scans started by
/// accident (a scheduled one and a manual one, two deployment runs) do not double the load on a
/// production system and report every finding twice.
///
/// The lock is an abstract Unix socket name, bound and listened on while the scan runs: the kernel
/// frees it when the process ends however it ends (no stale lock file after a crash or kill -9),
/// it needs no writable folder (a read-only program folder, any user), and a second scan learns
/// the first one's PID by connecting to it (SO_PEERCRED) without the holder doing anything.
/// Held per network namespace, which is per host outside containers.
public final class ScanLock {
    /// The name every `thor` scan binds (tests pass their own).
    public static let defaultName = "thor-scan-lock"
    private let fd: Int32

    private init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    /// Takes the host's scan lock, held until this object goes (or the process ends). Throws a
    /// ConfigError naming the holder when another process holds it, or when it cannot be checked.
    public static func acquire(name: String = defaultName) throws -> ScanLock {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ConfigError("cannot check for another running scan: \(String(cString: strerror(errno)))") }
        let bound = withAbstractAddress(name) { bind(fd, $0, $1) } == 0
        if bound && listen(fd, 16) == 0 { return ScanLock(fd: fd) }
        let failure = errno
        close(fd)
        guard !bound && failure == EADDRINUSE else {
            throw ConfigError("cannot check for another running scan: \(String(cString: strerror(failure)))")
        }
        let who = holder(of: name).map { " (PID \($0))" } ?? ""
        throw ConfigError("another THOR scan is running on this host\(who); wait for it to end, or use --nodoublecheck to run beside it")
    }

    /// The PID of the process listening on `name`, by connecting to it (never blocks: a full
    /// backlog means an unknown holder).
    private static func holder(of name: String) -> Int32? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard withAbstractAddress(name, { connect(fd, $0, $1) }) == 0 else { return nil }
        let pid = thor_peer_pid(fd)
        return pid > 0 ? pid : nil
    }

    /// Calls `body` with the abstract address of `name` (a NUL, then the name, not terminated).
    private static func withAbstractAddress(_ name: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(name.utf8.prefix(MemoryLayout.size(ofValue: address.sun_path) - 1))
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            for (i, byte) in bytes.enumerated() { path[i + 1] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + 1 + bytes.count)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
