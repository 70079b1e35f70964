import Glibc

/// Reads frames from a socket in large chunks, so that many small frames (a batch's "done"
/// messages) cost one system call, and validates each frame's length and kind.
final class FrameBuffer {
    private let fd: Int32
    private let validKinds: ClosedRange<UInt8>
    private var buffer: [UInt8] = []
    private var start = 0

    init(fd: Int32, validKinds: ClosedRange<UInt8>) {
        self.fd = fd
        self.validKinds = validKinds
    }

    /// The next complete frame already received, or nil.
    func next() throws -> Wire.Frame? {
        let available = buffer.count - start
        guard available >= 5 else { return nil }
        let length = Int(UInt32(buffer[start]) | UInt32(buffer[start + 1]) << 8 | UInt32(buffer[start + 2]) << 16 | UInt32(buffer[start + 3]) << 24)
        guard length >= 1, length <= Wire.maxFrame else { throw Wire.Failure.protocolError("frame length \(length)") }
        let kind = buffer[start + 4]
        guard validKinds.contains(kind) else { throw Wire.Failure.protocolError("frame kind \(kind)") }
        guard available >= 4 + length else { return nil }
        let payload = Array(buffer[(start + 5)..<(start + 4 + length)])
        start += 4 + length
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
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
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        let chunk = 64 << 10
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + old, chunk, 0) }
        buffer.removeLast(chunk - max(0, n))
        if n == 0 { throw Wire.Failure.closed }
        if n < 0 {
            if errno == EINTR { return }
            if errno == ECONNRESET { throw Wire.Failure.closed }
            throw Wire.Failure.io("recv: \(String(cString: strerror(errno)))")
        }
    }
}
