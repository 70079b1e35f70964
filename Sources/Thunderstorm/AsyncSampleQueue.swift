/// The durable queue behind /api/checkAsync and /api/getAsyncResults.
///
/// A sample answered with an id must be scanned even if the process dies, so `enqueue` returns
/// only once the sample and its metadata are safely stored. The local-disk implementation is
/// `DiskSampleQueue`; a shared database can implement the same protocol for several nodes.
public protocol AsyncSampleQueue: Sendable {
    /// Takes ownership of the uploaded file at `stagedPath` (same file system as the queue) and
    /// returns the sample's id.
    func enqueue(stagedPath: String, sample: QueuedSample.Submission) async throws -> Int64
    /// Waits for the oldest queued sample and marks it as being scanned. Samples that were being
    /// scanned when the process died are queued again on the next start.
    func next() async throws -> QueuedSample
    /// Records the outcome, keeps it in the bounded result cache and deletes the sample data.
    func complete(id: Int64, outcome: AsyncOutcome) async throws
    /// nil for an unknown or evicted id.
    func state(of id: Int64) async throws -> AsyncSampleState?
    /// Samples waiting or being scanned.
    func pendingCount() async -> Int
}

/// A queued sample and where its bytes are.
public struct QueuedSample: Sendable, Equatable, Codable {
    /// What the HTTP layer knows when it queues a sample.
    public struct Submission: Sendable, Equatable, Codable {
        public var fileName: String
        public var source: String
        public var size: Int64
        public var firstBytes: [UInt8]
        /// Seconds since 1970 when the upload finished.
        public var receivedAt: Double

        public init(fileName: String, source: String, size: Int64, firstBytes: [UInt8], receivedAt: Double) {
            self.fileName = fileName
            self.source = source
            self.size = size
            self.firstBytes = firstBytes
            self.receivedAt = receivedAt
        }
    }

    public var id: Int64
    public var submission: Submission
    /// The sample's bytes; valid until `complete`.
    public var path: String
}

/// The result of one async sample.
public enum AsyncOutcome: Sendable, Equatable, Codable {
    case complete(SampleVerdict)
    case failed(String)
}

public enum AsyncSampleState: Sendable, Equatable {
    case queued
    case scanning
    case finished(AsyncOutcome, QueuedSample.Submission)

    /// The status strings THOR uses (reference section 1.5).
    public var statusText: String {
        switch self {
        case .queued: return "Waiting for execution"
        case .scanning: return "Currently being scanned"
        case .finished(.complete, _): return "Sample analysis complete"
        case .finished(.failed, _): return "Sample analysis failed"
        }
    }
}
