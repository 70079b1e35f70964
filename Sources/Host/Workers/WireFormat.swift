import Glibc

/// Frames on the supervisor/worker socket: `u32 length (LE) | u8 kind | payload`. Lengths are
/// bounded, so a worker writing garbage is caught as a protocol error, not trusted. Sending is here;
/// receiving is FrameBuffer.
enum Wire {
    /// Raised whenever a frame's encoding changes (4: the config carries the time style; 5: the
    /// children's size budget), so that a worker of another build (a binary upgraded under a
    /// running scan) is refused, not misread.
    static let version: UInt16 = 6
    static let maxFrame = 64 << 20

    struct Frame {
        var kind: UInt8
        var payload: [UInt8]
    }

    enum Failure: Error, CustomStringConvertible {
        case closed
        case protocolError(String)
        case io(String)

        var description: String {
            switch self {
            case .closed: "connection closed"
            case .protocolError(let s): "protocol error: \(s)"
            case .io(let s): s
            }
        }
    }

    static func send(_ fd: Int32, kind: UInt8, payload: [UInt8]) throws {
        var frame = [UInt8]()
        frame.reserveCapacity(5 + payload.count)
        append(kind: kind, payload: payload, to: &frame)
        try sendAll(fd, frame)
    }

    /// Appends one frame to bytes that will be sent together.
    static func append(kind: UInt8, payload: [UInt8], to frame: inout [UInt8]) {
        let length = UInt32(payload.count + 1)
        withUnsafeBytes(of: length.littleEndian) { frame.append(contentsOf: $0) }
        frame.append(kind)
        frame.append(contentsOf: payload)
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buf in
            var offset = 0
            while offset < buf.count {
                let n = Glibc.send(fd, buf.baseAddress! + offset, buf.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Failure.io("send: \(String(cString: strerror(errno)))")
                }
                offset += n
            }
        }
    }
}

/// Appends little-endian fields to a payload.
struct WireWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func string(_ s: String) {
        u32(UInt32(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }
    mutating func strings(_ list: [String]) {
        u32(UInt32(list.count))
        list.forEach { string($0) }
    }
    mutating func pairs(_ list: [(key: String, value: String)]) {
        u32(UInt32(list.count))
        for (k, v) in list {
            string(k)
            string(v)
        }
    }
}

/// Reads what WireWriter wrote, checking every length against what is left.
struct WireReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func u8() throws -> UInt8 {
        guard offset < bytes.count else { throw Wire.Failure.protocolError("short payload") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u32() throws -> UInt32 {
        guard bytes.count - offset >= 4 else { throw Wire.Failure.protocolError("short payload") }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[offset + i]) << (8 * i) }
        offset += 4
        return v
    }

    mutating func u64() throws -> UInt64 {
        let lo = try u32(), hi = try u32()
        return UInt64(lo) | UInt64(hi) << 32
    }

    mutating func string() throws -> String {
        let n = Int(try u32())
        guard n <= bytes.count - offset else { throw Wire.Failure.protocolError("string length \(n)") }
        defer { offset += n }
        return String(decoding: bytes[offset..<offset + n], as: UTF8.self)
    }

    mutating func strings() throws -> [String] {
        let n = Int(try u32())
        guard n <= bytes.count - offset else { throw Wire.Failure.protocolError("list length \(n)") }
        return try (0..<n).map { _ in try string() }
    }

    mutating func pairs() throws -> [(key: String, value: String)] {
        let n = Int(try u32())
        guard n <= bytes.count - offset else { throw Wire.Failure.protocolError("pair count \(n)") }
        return try (0..<n).map { _ in (try string(), try string()) }
    }
}
