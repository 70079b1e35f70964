import CZlib

/// DEFLATE data (a ZIP member's, or a gzip file's) into a buffer of at most `limit` bytes: data
/// that would grow beyond it is refused before more is produced, whatever a header claims (bombs).
public enum Inflater {
    public enum Format: Sendable {
        /// Raw DEFLATE, as in ZIP members.
        case raw
        /// A gzip stream (its first member).
        case gzip
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case tooLarge(limit: Int)
        case corrupt(String)

        public var description: String {
            switch self {
            case .tooLarge(let limit): "inflates to more than \(limit) bytes"
            case .corrupt(let why): "corrupt deflate data: \(why)"
            }
        }
    }

    /// `expected` (the header's size) sizes the first buffer only; the output is checked as it grows.
    public static func inflate(_ input: UnsafeRawBufferPointer, format: Format = .raw, expected: Int, limit: Int) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, format == .raw ? -MAX_WBITS : 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure.corrupt("zlib did not start")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: max(1, min(expected, limit, 64 << 20)))
        var produced = 0
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        while true {
            if produced == output.count {
                guard output.count < limit else { throw Failure.tooLarge(limit: limit) }
                output += [UInt8](repeating: 0, count: min(output.count, limit - output.count))
            }
            let status = output.withUnsafeMutableBytes { out -> Int32 in
                stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self) + produced
                stream.avail_out = uInt(out.count - produced)
                let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                produced = out.count - Int(stream.avail_out)
                return status
            }
            switch status {
            case Z_STREAM_END:
                output.removeSubrange(produced...)
                return output
            case Z_OK:
                continue
            case Z_BUF_ERROR where stream.avail_out == 0:
                continue
            case Z_BUF_ERROR:
                throw Failure.corrupt("data ends early")
            default:
                throw Failure.corrupt(stream.msg.map { String(cString: $0) } ?? "status \(status)")
            }
        }
    }
}
