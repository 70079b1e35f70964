import NIOCore
import NIOPosix

extension ThunderstormService {
    /// Runs Swift concurrency's jobs on the server's event loops instead of the global pool. A
    /// Hummingbird request handler then runs on the thread that reads its connection: no hop to a
    /// pool thread and back (profiled: those futex/eventfd wake-ups were a quarter of the service's
    /// own CPU per sample). Uploads need no task at all (UploadEndpointHandler). Nothing that
    /// blocks may run as a task: fsync, DNS and worker I/O already have their own threads.
    ///
    /// One event loop per four scan threads: the service spends about 0.1 ms of CPU on a small
    /// sample (0.25 ms when this was measured, before uploads left the tasks), a worker about
    /// 1 ms, so one loop keeps four workers fed with room for TLS and large uploads; more loops
    /// only add wake-ups between them (on 2 cores, a second loop raised the service's own CPU per
    /// sample from 0.25 to 0.29 ms, profiled).
    /// Call once, from the main thread, before any task starts; false when the runtime refused.
    @discardableResult
    public static func runConcurrencyOnEventLoops(scanThreads: Int) -> Bool {
        NIOSingletons.groupLoopCountSuggestion = max(1, (scanThreads + 3) / 4)
        return NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}

/// The event loop a task runs on, for a scanner whose answer comes from a thread of its own:
/// a continuation resumed there would continue on any loop (the executor picks one for foreign
/// threads), and half of the answers would then hop once more to their connection's loop.
struct CallerEventLoop: Sendable {
    private let loop: (any EventLoop)?

    /// The loop of the calling thread; none when it is no event loop (then `run` runs in place).
    static var current: CallerEventLoop { CallerEventLoop(loop: MultiThreadedEventLoopGroup.currentEventLoop) }

    /// Runs `body` on the caller's loop.
    func run(_ body: @escaping @Sendable () -> Void) {
        if let loop { loop.execute(body) } else { body() }
    }
}
