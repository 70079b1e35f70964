import Glibc

/// The worker's outgoing frames, and its signal to the supervisor.
///
/// Frames go out in stream order, but writing one wakes nobody: the supervisor sleeps on the
/// signal (an eventfd), not on the socket. The worker signals when the supervisor has work:
///   - at the end of a batch, which it waits for to hand out the next;
///   - after each object of a prompt batch, whose clients wait for their answers;
///   - after 64 KiB went out unsignalled, so the socket buffer never fills while it sleeps.
/// Everything else it reads on its 50 ms round of deadline checks. That makes a batch cost the
/// supervisor one wake-up, not one per object and module.
///
/// "done" frames wait and leave with the next flush (a signal, 10 ms after the last send, or any
/// other frame), so files that no module reads cost no system call. Events and module
/// announcements are sent at once, in order: the announcement before each scanned object also
/// carries out the "done" frames of the objects before it, so garbage a module writes on the
/// socket is blamed on the right object and module. The breadcrumb counts the objects finished,
/// for when unsent "done" frames die with the worker.
final class FrameWriter {
    private static let maxDelayNanoseconds: UInt64 = 10_000_000
    private static let signalBytes = 64 << 10
    private let fd: Int32
    private let signalFD: Int32
    private var pending: [UInt8] = []
    private var unsignalled = 0
    private var lastSend = MonotonicClock.nanoseconds

    init(fd: Int32, signalFD: Int32) {
        self.fd = fd
        self.signalFD = signalFD
    }

    func send(kind: UInt8, payload: [UInt8]) throws {
        Wire.append(kind: kind, payload: payload, to: &pending)
        try flush()
    }

    /// Queues a "done" frame; sends it at once and signals when the supervisor waits for it (the
    /// end of a batch, or each object of a prompt one), else when the last send is 10 ms old.
    func done(_ payload: [UInt8], signal wanted: Bool) throws {
        Wire.append(kind: FrameKind.done, payload: payload, to: &pending)
        if wanted {
            try flush()
            signal()
        } else if MonotonicClock.nanoseconds &- lastSend >= Self.maxDelayNanoseconds {
            try flush()
        }
    }

    func flush() throws {
        guard !pending.isEmpty else { return }
        defer { pending.removeAll(keepingCapacity: true) }
        // A write this large may fill the socket: the supervisor is woken first to read it.
        if pending.count >= Self.signalBytes { signal() }
        try Wire.sendAll(fd, pending)
        lastSend = MonotonicClock.nanoseconds
        unsignalled += pending.count
        if unsignalled >= Self.signalBytes { signal() }
    }

    private func signal() {
        var one: UInt64 = 1
        _ = write(signalFD, &one, 8)
        unsignalled = 0
    }
}
