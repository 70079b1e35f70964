import Foundation
import Glibc

/// THOR's resource safety (thor-spec section 6): pauses dispatch while the whole system's CPU is
/// above `--cpulimit`, ends the scan below `--minmem` free memory (naming the top consumers) or
/// after `--max_runtime`. Watches from its own thread; scanning threads call `waitWhilePaused`.
public final class ResourceControl: @unchecked Sendable {
    public struct Limits: Sendable {
        /// Percent of all CPUs; nil: no limit (`--nocpulimit`).
        public var cpuLimit: Double? = 95
        /// MB of available memory; nil: no check (`--norescontrol`).
        public var minimumMemoryMB: Int? = 50
        /// Seconds; nil: no limit.
        public var maxRuntime: Double? = 168 * 3600
        public init() {}
    }

    private let limits: Limits
    private let reporter: Reporter
    private let stop: () -> Void
    private let currentElement: () -> String
    private let condition = NSCondition()
    private var paused = false
    private var finished = false
    private let started = Date()

    init(limits: Limits, reporter: Reporter, currentElement: @escaping () -> String, stop: @escaping () -> Void) {
        self.limits = limits
        self.reporter = reporter
        self.currentElement = currentElement
        self.stop = stop
    }

    func start() {
        Thread {
            Thread.current.name = "rescontrol"
            self.watch()
        }.start()
    }

    /// Ends the watch; resumes anyone paused.
    func finish() {
        condition.lock()
        finished = true
        paused = false
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks while the CPU limit holds dispatch back.
    func waitWhilePaused() {
        condition.lock()
        while paused && !finished { condition.wait() }
        condition.unlock()
    }

    private var isFinished: Bool {
        condition.lock()
        defer { condition.unlock() }
        return finished
    }

    private func watch() {
        var last = SystemLoad.cpuSample()
        while !isFinished {
            usleep(500_000)
            if let limit = limits.maxRuntime, Date().timeIntervalSince(started) > limit {
                reporter.error(module: "RuntimeWatcher", "Maximum runtime has exceeded, killing THOR",
                               fields: [("MAX_RUNTIME", String(format: "%.0fs", limit)), ("LAST_ELEMENT", currentElement())])
                stopScan()
                return
            }
            if let minimum = limits.minimumMemoryMB, let available = SystemLoad.availableMemoryMB(), available < minimum {
                reporter.message(.warning, module: "Rescontrol", "Available physical memory dropped below \(minimum) MB",
                                 fields: [("AVAILABLE", "\(available) MB")])
                reporter.error(module: "Rescontrol", "Stopping THOR scan in order to avoid a memory outage (use --norescontrol to avoid this)")
                for p in SystemLoad.topMemoryConsumers(3) {
                    reporter.message(.notice, module: "Rescontrol", "Process with high memory usage",
                                     fields: [("PID", String(p.pid)), ("NAME", p.name), ("COMMAND", p.command),
                                              ("MEMORY_USAGE", String(format: "%.2f%%", p.percent))])
                }
                stopScan()
                return
            }
            if let limit = limits.cpuLimit, let now = SystemLoad.cpuSample(), let before = last {
                let busy = SystemLoad.cpuPercent(from: before, to: now)
                last = now
                condition.lock()
                let was = paused
                paused = busy > limit
                if !paused { condition.broadcast() }
                condition.unlock()
                if paused != was {
                    reporter.message(.debug, module: "Rescontrol", paused ? "Pausing: system CPU above the limit" : "Resuming",
                                     fields: [("CPU", String(format: "%.0f%%", busy)), ("LIMIT", String(format: "%.0f%%", limit))])
                }
            }
        }
    }

    private func stopScan() {
        stop()
        finish()
    }
}
