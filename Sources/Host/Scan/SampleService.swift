import Foundation

/// Scans single samples on demand (Thunderstorm) through the same workers and outputs as a file
/// scan: findings reach the text and JSON logs, and the caller gets the sample's report.
///
/// Samples that wait together go to a worker together (as a walk's files do): one hand-over and one
/// worker wake-up per batch, and the worker scans them back to back while its rules are warm.
/// Synchronous samples (a client is waiting) are taken before queued ones.
public final class SampleService: @unchecked Sendable {
    /// No worker could be started for the sample, so it was not scanned.
    public struct NotScanned: Error, CustomStringConvertible {
        public var description: String { "no scan worker could be started (see the scan log)" }
    }

    /// What a sample's scan gives the caller.
    public struct SampleReport: Sendable {
        /// The sample's own report, else that of its most severe child (an event of an uploaded
        /// log) when only children scored; nil when it is clean.
        public var finding: FindingReport?
        /// The sample's own `md5`, `sha1`, `sha256` and `filetype` fields; empty when it is clean.
        public var sampleFields: [(key: String, value: String)]
    }

    public typealias Completion = @Sendable (Result<SampleReport, NotScanned>) -> Void

    private struct Request {
        let item: WorkItem
        let size: Int64
        let done: Completion
    }

    private let scan: Scan
    private let pool: WorkerPool
    private let threads: Int
    private let condition = NSCondition()
    private var urgent: [Request] = []
    private var queued: [Request] = []
    private var closed = false
    static let maxBatch = 8
    /// A batch holding a sample larger than this answers each sample as soon as it is scanned (a
    /// client need not wait for another's large sample); a batch of small ones answers at its end,
    /// a few milliseconds later, with one wake-up of the service instead of one per sample
    /// (measured, 4 interleaved pairs: 0.14-0.17 -> 0.13-0.15 ms of the service's own CPU and
    /// 1-10% more samples/s on small /api/check).
    static let promptAbove: Int64 = 1 << 20

    /// One worker (and one thread talking to it) per `scan.options.threads`.
    public init(scan: Scan) throws {
        self.scan = scan
        self.threads = max(1, scan.options.threads)
        scan.reporter.message(.info, module: "Init", "Thor Thunderstorm starting", fields: [("VERSION", HostTable.version)])
        scan.reportLimitConcerns()
        pool = try scan.startWorkers(threads: self.threads)
        // One thread per worker talks to it (the pool blocks its caller).
        for _ in 0..<self.threads {
            Thread { [self] in
                Thread.current.name = "ts-handover"
                while let batch = nextBatch() { run(batch) }
            }.start()
        }
    }

    /// Scans the file at `path` (`size` bytes) as if it were `displayName` on host `source` and
    /// calls `done` with its `SampleReport`. `urgent`: a client waits for the answer.
    public func scan(path: String, displayName: String, source: String, size: Int64, urgent: Bool, done: @escaping Completion) {
        // A name is what marks the path as the service's own (see FileScanner); clients may send none.
        let name = displayName.isEmpty ? "(unnamed sample)" : displayName
        let request = Request(item: WorkItem(path: path, displayPath: name, source: source), size: size, done: done)
        condition.lock()
        if urgent { self.urgent.append(request) } else { queued.append(request) }
        condition.unlock()
        // After unlocking: a thread woken under the lock would block on it at once and need a
        // second wake-up (seen as futex waits and wakes on the mutex, one pair per batch).
        condition.signal()
    }

    /// Blocks for the next batch: urgent samples first, and a fair share of what waits (so no
    /// worker idles while another holds a long batch); nil once shut down.
    private func nextBatch() -> [Request]? {
        condition.lock()
        defer { condition.unlock() }
        while urgent.isEmpty && queued.isEmpty && !closed { condition.wait() }
        if closed { return nil }
        let waiting = urgent.count + queued.count
        var take = min(Self.maxBatch, (waiting + threads - 1) / threads)
        var batch: [Request] = []
        let fromUrgent = min(take, urgent.count)
        batch += urgent.prefix(fromUrgent)
        urgent.removeFirst(fromUrgent)
        take -= fromUrgent
        batch += queued.prefix(take)
        queued.removeFirst(min(take, queued.count))
        return batch
    }

    private func run(_ batch: [Request]) {
        var reports: [FindingReport] = []
        var answered = 0
        // Events arrive on this thread in order, each object's before its done.
        let promptly = batch.contains { $0.size > Self.promptAbove }
        pool.scan(batch.map(\.item), promptly: promptly, observe: { event in
            if case .finding(let report) = event { reports.append(report) }
        }, done: { _, outcome in
            let own = reports.first { $0.depth == 0 }
            let shown = own ?? reports.max { $0.score < $1.score }
            let fields = own?.subjectFields ?? (shown == nil ? [] : outcome.sampleFields)
            batch[answered].done(.success(SampleReport(finding: shown, sampleFields: fields)))
            answered += 1
            reports.removeAll()
        })
        // The pool gives up on a batch only when no worker can be started; those samples got no scan.
        for request in batch[answered...] { request.done(.failure(NotScanned())) }
    }

    /// Retires the workers and closes the outputs.
    public func shutdown() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
        pool.shutdown()
        _ = scan.finish()
    }
}
