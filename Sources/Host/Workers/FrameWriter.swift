import Glibc

/// The worker's outgoing frames. "done" frames wait and leave with the next flush (the end of a
/// batch, 10 ms after the last send, or any other frame), so files that no module reads cost no
/// wake-up of the supervisor. Events and module announcements flush at once, in order: no finding
/// waits, and the announcement before each scanned object also carries out the "done" frames of
/// the objects before it, so garbage a module writes on the socket is blamed on the right object
/// and module. The breadcrumb counts the objects finished, for when unsent "done" frames die with
/// the worker.
final class FrameWriter {
    private static let maxDelayNanoseconds: UInt64 = 10_000_000
    private let fd: Int32
    private var pending: [UInt8] = []
    private var lastSend = FrameWriter.now()

    init(fd: Int32) { self.fd = fd }

    func send(kind: UInt8, payload: [UInt8]) throws {
        Wire.append(kind: kind, payload: payload, to: &pending)
        try flush()
    }

    /// Queues a "done" frame; sends when the batch is over or the last send is 10 ms old.
    func done(_ payload: [UInt8], lastOfBatch: Bool) throws {
        Wire.append(kind: FrameKind.done, payload: payload, to: &pending)
        if lastOfBatch || Self.now() &- lastSend >= Self.maxDelayNanoseconds { try flush() }
    }

    func flush() throws {
        guard !pending.isEmpty else { return }
        defer { pending.removeAll(keepingCapacity: true) }
        try Wire.sendAll(fd, pending)
        lastSend = Self.now()
    }

    private static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
