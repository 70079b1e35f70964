/// The head of an upload request in the one shape the collectors send: `POST /api/check... HTTP/1.1`
/// with a Content-Length body. `UploadFastPath` reads such heads itself; anything else (chunked
/// bodies, `Expect`, absolute-form targets, HTTP/1.0, folded or odd header lines, any doubt at
/// all) is nil here and goes to the full HTTP parser, which knows every quirk and every error.
struct SimpleUploadHead: Equatable {
    /// Origin-form target: path and query, as sent.
    var target: String
    var contentLength: Int
    var contentType: String?
    /// `close` or `keep-alive`, as sent.
    var connection: String?

    /// Longest head read here; a longer one goes to the full parser.
    static let maxBytes = 8 * 1024

    /// Bytes before the CR LF CR LF that ends a head at the start of `bytes`, nil while it has not
    /// arrived (looked for in the first `maxBytes` + 4 bytes only); the search starts at `start`
    /// (what was searched before cannot hold it), so a head sent a byte at a time is searched once.
    static func length(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        let limit = min(bytes.count, maxBytes + 4)
        var i = start
        while i + 3 < limit {
            if bytes[i + 3] != 0x0A { i += 1; continue }
            if bytes[i] == 0x0D && bytes[i + 1] == 0x0A && bytes[i + 2] == 0x0D { return i }
            i += 1
        }
        return nil
    }

    /// Parses a head without its final empty line (the bytes before CRLF CRLF).
    static func parse(_ head: UnsafeBufferPointer<UInt8>) -> SimpleUploadHead? {
        guard head.count <= maxBytes else { return nil }
        var cursor = Cursor(bytes: head)
        guard cursor.take("POST /"), let targetEnd = cursor.skip(while: { $0 > 0x20 && $0 < 0x7F }),
              cursor.take(" HTTP/1.1"), cursor.atLineEnd else { return nil }
        let target = String(decoding: UnsafeBufferPointer(rebasing: head[5..<targetEnd]), as: UTF8.self)
        guard let endpoint = APIRoute.endpoint(forPath: QueryParameters.pathAndQuery(of: target).path),
              APIRoute.uploadEndpoints.contains(endpoint) else { return nil }
        var parsed = SimpleUploadHead(target: target, contentLength: -1)
        while cursor.take("\r\n") {
            guard let field = cursor.headerField() else { return nil }
            let name = UnsafeBufferPointer(rebasing: head[field.name])
            let value = UnsafeBufferPointer(rebasing: head[field.value])
            if Self.name(name, is: "content-length") {
                guard parsed.contentLength < 0, let length = Self.decimal(value) else { return nil }
                parsed.contentLength = length
            } else if Self.name(name, is: "content-type") {
                guard parsed.contentType == nil else { return nil }
                parsed.contentType = String(decoding: value, as: UTF8.self)
            } else if Self.name(name, is: "connection") {
                guard parsed.connection == nil, Self.name(value, is: "close") || Self.name(value, is: "keep-alive") else { return nil }
                parsed.connection = String(decoding: value, as: UTF8.self)
            } else if Self.name(name, is: "transfer-encoding") || Self.name(name, is: "expect") || Self.name(name, is: "upgrade")
                        || Self.name(name, is: "content-encoding") {
                return nil
            }
        }
        guard cursor.atEnd, parsed.contentLength >= 0 else { return nil }
        return parsed
    }

    /// ASCII case-insensitive equality with a lower-case name.
    private static func name(_ bytes: UnsafeBufferPointer<UInt8>, is lower: StaticString) -> Bool {
        guard bytes.count == lower.utf8CodeUnitCount else { return false }
        let expected = lower.utf8Start
        for i in 0..<bytes.count {
            let b = bytes[i]
            guard (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) == expected[i] else { return false }
        }
        return true
    }

    /// 1 to 18 decimal digits (no sign, no spaces), so the value fits an Int.
    private static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for b in bytes {
            guard b >= 0x30 && b <= 0x39 else { return nil }
            value = value * 10 + Int(b - 0x30)
        }
        return value
    }

    /// Reads the head left to right; every step checks its bounds.
    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        var atEnd: Bool { position == bytes.count }
        var atLineEnd: Bool { atEnd || (position + 1 < bytes.count && bytes[position] == 0x0D && bytes[position + 1] == 0x0A) }

        /// Consumes `literal` when the bytes start with it here.
        mutating func take(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard bytes.count - position >= count else { return false }
            for i in 0..<count where bytes[position + i] != literal.utf8Start[i] { return false }
            position += count
            return true
        }

        /// Consumes at least one byte matching `accept`; returns where the run ended.
        mutating func skip(while accept: (UInt8) -> Bool) -> Int? {
            let start = position
            while position < bytes.count && accept(bytes[position]) { position += 1 }
            return position > start ? position : nil
        }

        /// `name: value` up to the line's end: the name a token, the value visible characters,
        /// spaces and tabs (trimmed). A line starting with white space (an obsolete folded line),
        /// a space before the colon or a control character is nil.
        mutating func headerField() -> (name: Range<Int>, value: Range<Int>)? {
            let nameStart = position
            guard let nameEnd = skip(while: Self.isTokenCharacter), take(":") else { return nil }
            while position < bytes.count && (bytes[position] == 0x20 || bytes[position] == 0x09) { position += 1 }
            let valueStart = position
            while position < bytes.count && !atLineEnd {
                let b = bytes[position]
                guard b == 0x09 || b >= 0x20 && b != 0x7F else { return nil }
                position += 1
            }
            var valueEnd = position
            while valueEnd > valueStart && (bytes[valueEnd - 1] == 0x20 || bytes[valueEnd - 1] == 0x09) { valueEnd -= 1 }
            return (nameStart..<nameEnd, valueStart..<valueEnd)
        }

        /// RFC 9110 tchar.
        static func isTokenCharacter(_ b: UInt8) -> Bool {
            switch b {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
            case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: true
            default: false
            }
        }
    }
}
