import Foundation

/// Redraws the console progress line a few times a second from its own thread (terminals only).
final class ProgressTicker: @unchecked Sendable {
    private let console: ConsoleSink
    private let statistics: ScanStatistics
    private let started: Date
    private let stopped = AbortFlag()
    private let done = DispatchSemaphore(value: 0)

    init(console: ConsoleSink, statistics: ScanStatistics, started: Date) {
        self.console = console
        self.statistics = statistics
        self.started = started
    }

    func start() {
        guard console.isTerminal else { return }
        Thread {
            Thread.current.name = "progress"
            while !self.stopped.isSet {
                self.draw()
                usleep(250_000)
            }
            self.done.signal()
        }.start()
    }

    func stop() {
        guard console.isTerminal else { return }
        stopped.set()
        done.wait()
    }

    private func draw() {
        let s = statistics.snapshot
        let elapsed = max(Date().timeIntervalSince(started), 0.001)
        let mb = Double(s.bytes) / 1_048_576
        console.progress(String(format: "Files: %d  %.1f MB  %.0f files/s  %.1f MB/s  %@",
                                s.files, mb, Double(s.files) / elapsed, mb / elapsed, TextLineFormatter.shown(RawPath.display(s.current))))
    }
}
