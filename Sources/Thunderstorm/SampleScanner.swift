/// The seam between the HTTP service and whatever scans a sample (the host pipeline, or a test fixture).
///
/// The service streams an upload to `SubmittedSample.path`, takes a scan slot from its own
/// `ScanScheduler`, and calls `scan` once per sample; the scanner owns no concurrency policy.
public protocol SampleScanner: Sendable {
    /// Scans one uploaded sample and calls `completion` once, on any thread. A failure marks the
    /// sample as failed (500 on /api/check, "Sample analysis failed" for async samples).
    /// A callback, not `async`: /api/check is answered on the event loop without a task.
    func scan(_ sample: SubmittedSample, completion: @escaping @Sendable (Result<SampleVerdict, any Error>) -> Void)
}

extension SampleScanner {
    /// `scan` for a task (the async queue); it continues on the caller's event loop.
    func scan(_ sample: SubmittedSample) async throws -> SampleVerdict {
        let caller = CallerEventLoop.current
        return try await withCheckedThrowingContinuation { continuation in
            scan(sample) { result in caller.run { continuation.resume(with: result) } }
        }
    }
}

/// One sample as it was submitted.
public struct SubmittedSample: Sendable, Equatable {
    /// The streamed upload on the local file system; only valid during `scan`.
    public var path: String
    /// The multipart `filename` exactly as the client sent it (absolute client path, Windows path or
    /// basename); it is the object's path for file-name IOCs and becomes `context.file`.
    public var fileName: String
    /// The `source` query parameter, or else the client's address: the host name in log lines.
    public var source: String
    /// Size in bytes of the uploaded file content.
    public var size: Int64
    /// Async receipt id, or nil for a synchronous /api/check.
    public var id: Int64?

    public init(path: String, fileName: String, source: String, size: Int64, id: Int64?) {
        self.path = path
        self.fileName = fileName
        self.source = source
        self.size = size
        self.id = id
    }
}
