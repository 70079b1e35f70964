import Glibc

/// Reads frames from a socket in large chunks, so that many small frames (a batch's "done"
/// messages) cost one system call, and validates each frame's length and kind.
final class FrameBuffer {
    private static let chunk = 64 << 10
    private let fd: Int32
    private let validKinds: ClosedRange<UInt8>
    /// Received bytes are `storage[start..<end]`; the storage is never zero-filled, so a receive
    /// costs only what arrived.
    private var storage: UnsafeMutableRawPointer
    private var capacity = FrameBuffer.chunk
    private var start = 0
    private var end = 0

    init(fd: Int32, validKinds: ClosedRange<UInt8>) {
        self.fd = fd
        self.validKinds = validKinds
        storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    /// The next complete frame already received, or nil.
    func next() throws -> Wire.Frame? {
        let available = end - start
        guard available >= 5 else { return nil }
        let length = Int(UInt32(littleEndian: storage.loadUnaligned(fromByteOffset: start, as: UInt32.self)))
        guard length >= 1, length <= Wire.maxFrame else { throw Wire.Failure.protocolError("frame length \(length)") }
        let kind = storage.load(fromByteOffset: start + 4, as: UInt8.self)
        guard validKinds.contains(kind) else { throw Wire.Failure.protocolError("frame kind \(kind)") }
        guard available >= 4 + length else { return nil }
        let payload = [UInt8](UnsafeRawBufferPointer(start: storage + start + 5, count: length - 1))
        start += 4 + length
        if start == end {
            start = 0
            end = 0
        }
        return Wire.Frame(kind: kind, payload: payload)
    }

    /// The next frame, waiting for the socket as long as it takes.
    func receive() throws -> Wire.Frame {
        while true {
            if let frame = try next() { return frame }
            try fill()
        }
    }

    /// Receives what the socket has (blocking until something arrives).
    func fill() throws {
        _ = try receive(flags: 0)
    }

    /// Receives what the socket has without waiting; false when nothing was there.
    func fillAvailable() throws -> Bool {
        try receive(flags: Int32(MSG_DONTWAIT))
    }

    /// Bytes of a frame whose rest is still to come (after `next()` returned nil).
    var holdsPartialFrame: Bool { end > start }

    private func receive(flags: Int32) throws -> Bool {
        if start > 0 {
            (storage).copyMemory(from: storage + start, byteCount: end - start)
            end -= start
            start = 0
        }
        if capacity - end < Self.chunk {
            // Room for a whole frame of up to Wire.maxFrame grows as its chunks arrive.
            capacity = max(capacity * 2, end + Self.chunk)
            let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
            grown.copyMemory(from: storage, byteCount: end)
            storage.deallocate()
            storage = grown
        }
        let n = recv(fd, storage + end, Self.chunk, flags)
        if n == 0 { throw Wire.Failure.closed }
        if n < 0 {
            if errno == EINTR { return false }
            // Only a non-blocking receive may find nothing; a blocking one timed out (SO_RCVTIMEO).
            if errno == EAGAIN && flags & Int32(MSG_DONTWAIT) != 0 { return false }
            if errno == ECONNRESET { throw Wire.Failure.closed }
            throw Wire.Failure.io("recv: \(String(cString: strerror(errno)))")
        }
        end += n
        return true
    }
}
