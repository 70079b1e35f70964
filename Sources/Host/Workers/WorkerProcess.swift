import CHostSystem
import Foundation
import Glibc

/// One worker: a child process of the `thor` executable in its worker role, its socket, its
/// breadcrumb page and the eventfd it signals when frames wait for the supervisor.
final class WorkerProcess {
    let pid: pid_t
    let socket: Int32
    let breadcrumb: Breadcrumb
    /// The worker's "frames wait" signal (see FrameWriter): the supervisor sleeps on it, not on the
    /// socket, so frames the worker writes while it scans wake nobody.
    let signal: Int32
    private(set) var reaped = false
    var objectsDone = 0
    var bytesDone: UInt64 = 0
    /// The outermost module the worker announced for the current object.
    var lastStartedModule: String?
    var nextMemoryCheck = Date()
    /// Frames from the worker, read in large chunks.
    let frames: FrameBuffer

    /// libyara rebuilds its module objects on every scan: hundreds of small allocations freed at
    /// its end. A per-thread cache that holds a whole scan's worth keeps them out of the
    /// allocator's bins (measured on signature-base: malloc and free 4.4% -> 1.8% of the CPU).
    static let allocatorTunables = "glibc.malloc.tcache_count=4096"

    /// A worker's environment: the supervisor's, without the Swift runtime's crash backtracer (it
    /// would spend seconds symbolicating a crash that the supervisor reports anyway; workers die
    /// fast and quietly instead), with `allocatorTunables` before any the user set (theirs win).
    static func environment(inheriting inherited: [String: String]) -> [String] {
        var environment = inherited.filter { $0.key != "SWIFT_BACKTRACE" && $0.key != "GLIBC_TUNABLES" }.map { "\($0.key)=\($0.value)" }
        environment.append("SWIFT_BACKTRACE=enable=no")
        environment.append("GLIBC_TUNABLES=" + ([allocatorTunables] + [inherited["GLIBC_TUNABLES"]].compactMap { $0 }).joined(separator: ":"))
        return environment
    }

    /// Spawns `executable __worker` with the socket as fd 3, the breadcrumb page as fd 4 and the
    /// signal eventfd as fd 5.
    init(executable: String, quiet: Bool) throws {
        // The breadcrumb first: it closes its own file if what follows fails.
        breadcrumb = try Breadcrumb()
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw ConfigError("socketpair: \(String(cString: strerror(errno)))")
        }
        signal = eventfd(0, Int32(EFD_CLOEXEC) | Int32(EFD_NONBLOCK))
        guard signal >= 0 else {
            close(fds[0])
            close(fds[1])
            throw ConfigError("eventfd: \(String(cString: strerror(errno)))")
        }
        // The spawn applies its dup2s in order, so a source that is itself a target (3-5 are the
        // lowest free descriptors when the supervisor has opened nothing else, as with --nolog)
        // would be overwritten before it is copied. It copies from descriptors above them instead.
        let sources = [fds[1], breadcrumb.fd, signal].map { fcntl($0, F_DUPFD_CLOEXEC, WorkerMain.signalFD + 1) }
        defer { sources.filter { $0 >= 0 }.forEach { close($0) } }
        guard !sources.contains(where: { $0 < 0 }) else {
            let reason = String(cString: strerror(errno))
            close(fds[0])
            close(fds[1])
            close(signal)
            throw ConfigError("cannot pass descriptors to a worker: \(reason)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        if quiet { posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) }
        posix_spawn_file_actions_adddup2(&actions, sources[0], WorkerMain.socketFD)
        posix_spawn_file_actions_adddup2(&actions, sources[1], WorkerMain.breadcrumbFD)
        posix_spawn_file_actions_adddup2(&actions, sources[2], WorkerMain.signalFD)
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(executable), strdup(WorkerMain.argument), nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?] = Self.environment(inheriting: ProcessInfo.processInfo.environment).map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, nil, argv, envp)
        close(fds[1])
        guard rc == 0 else {
            close(fds[0])
            close(signal)
            throw ConfigError("cannot start a worker (\(executable)): \(String(cString: strerror(rc)))")
        }
        pid = child
        socket = fds[0]
        frames = FrameBuffer(fd: fds[0], validKinds: FrameKind.toSupervisor)
    }

    /// Resident memory in MiB, from /proc.
    var residentMB: Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    /// Waits up to `timeout` seconds for the worker's signal or its end (the socket's hang-up).
    /// `streaming`: a frame is half received, so its rest is awaited on the socket itself.
    func waitForFrames(timeout: Double, streaming: Bool) {
        var p = [pollfd(fd: signal, events: Int16(POLLIN), revents: 0),
                 pollfd(fd: socket, events: streaming ? Int16(POLLIN) : 0, revents: 0)]
        guard poll(&p, 2, Int32(max(0, timeout * 1000))) > 0 else { return }
        if p[0].revents & Int16(POLLIN) != 0 {
            var count: UInt64 = 0
            _ = read(signal, &count, 8)
        }
    }

    /// Kills (if alive) and reaps; returns how it ended.
    @discardableResult
    func terminate(kill: Bool) -> String {
        if kill { Glibc.kill(pid, SIGKILL) }
        return reap()
    }

    func reap() -> String {
        guard !reaped else { return "ended" }
        reaped = true
        close(socket)
        close(signal)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        if signal != 0 { return "killed by signal \(signal) (\(Self.signalName(signal)))" }
        return "exited with status \((status >> 8) & 0xff)"
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGSEGV: "SIGSEGV"
        case SIGABRT: "SIGABRT"
        case SIGKILL: "SIGKILL"
        case SIGBUS: "SIGBUS"
        case SIGILL: "SIGILL"
        case SIGTRAP: "SIGTRAP"
        case SIGFPE: "SIGFPE"
        case SIGTERM: "SIGTERM"
        default: "signal \(signal)"
        }
    }
}
