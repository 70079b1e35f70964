import Foundation

/// Scans single samples on demand (Thunderstorm) through the same workers and outputs as a file
/// scan: findings reach the text and JSON logs, and the caller gets the sample's report.
public final class SampleService: @unchecked Sendable {
    private let scan: Scan
    private let pool: WorkerPool

    public init(scan: Scan, threads: Int) throws {
        self.scan = scan
        scan.reporter.message(.info, module: "Init", "Thor Thunderstorm starting", fields: [("VERSION", HostTable.version)])
        pool = try scan.startWorkers(threads: max(1, threads))
    }

    /// Scans the file at `path` as if it were `displayName` on host `source`. Returns the report of
    /// the sample, or of its most severe child (an event of an uploaded log) when only children
    /// scored; nil when it is clean. Blocks the calling thread.
    public func scan(path: String, displayName: String, source: String) -> FindingReport? {
        var reports: [FindingReport] = []
        let lock = NSLock()
        pool.scan([WorkItem(path: path, displayPath: displayName, source: source)], observe: { event in
            guard case .finding(let report) = event else { return }
            lock.lock()
            reports.append(report)
            lock.unlock()
        }, done: { _, _ in })
        if let own = reports.first(where: { $0.subject.first?.value == displayName }) { return own }
        return reports.max { $0.score < $1.score }
    }

    /// Retires the workers and closes the outputs.
    public func shutdown() {
        pool.shutdown()
        _ = scan.finish()
    }
}
