import NIOCore
import NIOPosix

extension ThunderstormService {
    /// Runs Swift concurrency's jobs on the server's event loops instead of the global pool. A
    /// request handler then runs on the thread that reads its connection: no hop to a pool thread
    /// for each body chunk, and none back to the event loop for the answer (profiled: those
    /// futex/eventfd wake-ups were a quarter of the service's own CPU per sample). Nothing that
    /// blocks may run as a task: fsync, DNS and worker I/O already have their own threads.
    /// Call once, from the main thread, before any task starts; false when the runtime refused.
    @discardableResult
    public static func runConcurrencyOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
