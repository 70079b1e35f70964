/// Limits the supervisor enforces on its workers.
public struct WorkerLimits: Sendable {
    /// Resident memory a worker may use (`--worker-memory`, MiB); the supervisor kills it above.
    public var memoryMB = 4096
    /// Seconds one object may take (`--object-timeout`); the supervisor kills the worker after.
    public var objectTimeout: Double = 300
    /// A worker is replaced after this many objects (`--worker-recycle`), so leaks cannot pile up.
    public var recycleAfter = 10_000
    /// ... or after reading this many bytes (`--worker-recycle-bytes`).
    public var recycleAfterBytes: UInt64 = 8 << 30
    /// A module that kills this many workers is disabled for the rest of the scan.
    public var maxModuleFailures = 3
    public init() {}
}
