import Foundation

/// Scans single samples on demand (Thunderstorm) through the same workers and outputs as a file
/// scan: findings reach the text and JSON logs, and the caller gets the sample's report.
public final class SampleService: @unchecked Sendable {
    private let scan: Scan
    private let pool: WorkerPool
    /// Requests wait here for one of the long-lived threads that talk to the workers (the pool
    /// blocks its caller; a thread per request would cost a thread start per sample).
    private let requests = WorkQueue<() -> Void>(capacity: Int.max)

    public init(scan: Scan, threads: Int) throws {
        self.scan = scan
        scan.reporter.message(.info, module: "Init", "Thor Thunderstorm starting", fields: [("VERSION", HostTable.version)])
        pool = try scan.startWorkers(threads: max(1, threads))
        for _ in 0..<max(1, threads) {
            Thread { [requests] in
                while let request = requests.pop() { request() }
            }.start()
        }
    }

    /// Scans the file at `path` as if it were `displayName` on host `source` and calls `done` with
    /// the report of the sample, or of its most severe child (an event of an uploaded log) when
    /// only children scored; nil when it is clean.
    public func scan(path: String, displayName: String, source: String, done: @escaping @Sendable (FindingReport?) -> Void) {
        // A name is what marks the path as the service's own (see FileScanner); clients may send none.
        let name = displayName.isEmpty ? "(unnamed sample)" : displayName
        requests.push { [pool] in
            var reports: [FindingReport] = []
            pool.scan([WorkItem(path: path, displayPath: name, source: source)], observe: { event in
                // Events arrive on this thread, in order.
                if case .finding(let report) = event { reports.append(report) }
            }, done: { _, _ in })
            done(reports.first { $0.subject.first?.value == name } ?? reports.max { $0.score < $1.score })
        }
    }

    /// Retires the workers and closes the outputs.
    public func shutdown() {
        requests.close()
        pool.shutdown()
        _ = scan.finish()
    }
}
