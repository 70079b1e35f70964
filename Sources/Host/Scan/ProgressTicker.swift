import Foundation

/// Redraws the console progress line at most a few times a second.
final class ProgressTicker {
    private let console: ConsoleSink
    private let statistics: ScanStatistics
    private let started: Date
    private var last = Date.distantPast

    init(console: ConsoleSink, statistics: ScanStatistics, started: Date) {
        self.console = console
        self.statistics = statistics
        self.started = started
    }

    func tick() {
        guard console.isTerminal else { return }
        let now = Date()
        guard now.timeIntervalSince(last) >= 0.25 else { return }
        last = now
        let s = statistics.snapshot
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let mb = Double(s.bytes) / 1_048_576
        console.progress(String(format: "Files: %d  %.1f MB  %.0f files/s  %.1f MB/s  %@",
                                s.files, mb, Double(s.files) / elapsed, mb / elapsed, s.current))
    }
}
