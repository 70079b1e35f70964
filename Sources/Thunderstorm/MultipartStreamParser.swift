import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An incremental multipart/form-data parser for hostile input: bodies are handed out as slices
/// as they arrive (nothing is held whole), part headers and part counts are bounded, and any
/// chunking of the input gives the same events.
public struct MultipartStreamParser {
    public enum Event {
        case partStart(PartHeaders)
        case body(ByteBuffer)
        case partEnd
        case end
    }

    public struct PartHeaders: Sendable, Equatable {
        /// The Content-Disposition `name`.
        public var name: String?
        /// The Content-Disposition file name as sent (see HeaderParameters for unescaping).
        public var fileName: String?
    }

    public enum ParseError: Error, Equatable {
        case headersTooLarge, tooManyParts, malformedDelimiter, truncated
    }

    public static let maxHeaderBytes = 16 * 1024
    public static let maxParts = 64
    /// Whitespace allowed after a delimiter before its line break (RFC 2046 transport padding).
    static let maxDelimiterPadding = 256

    private enum State { case preamble, afterDelimiter, headers, body, epilogue }

    private let delimiter: [UInt8]
    private var buffer: ByteBuffer
    private var state = State.preamble
    private var parts = 0

    /// Returns nil for an unusable boundary (empty or longer than RFC 2046's 70 bytes, with slack).
    public init?(boundary: [UInt8]) {
        guard !boundary.isEmpty, boundary.count <= 200 else { return nil }
        delimiter = Array("\r\n--".utf8) + boundary
        // A leading CRLF lets the first delimiter (which has none in front of it) match like the others.
        buffer = ByteBuffer(bytes: Array("\r\n".utf8))
    }

    public var isFinished: Bool { state == .epilogue }

    public mutating func feed(_ chunk: ByteBuffer, _ emit: (Event) throws -> Void) throws {
        try chunk.withUnsafeReadableBytes { try feed($0, emit) }
    }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (Event) throws -> Void) throws {
        if state == .epilogue { return }
        buffer.writeBytes(bytes)
        try process(emit)
        if buffer.readerIndex > 64 * 1024 { buffer.discardReadBytes() }
    }

    /// Call at the end of the body: a body that stops before the closing delimiter is truncated.
    public func finish() throws {
        guard state == .epilogue else { throw ParseError.truncated }
    }

    private mutating func process(_ emit: (Event) throws -> Void) throws {
        while true {
            switch state {
            case .preamble:
                guard let at = find(delimiter) else {
                    buffer.moveReaderIndex(forwardBy: max(0, buffer.readableBytes - (delimiter.count - 1)))
                    return
                }
                buffer.moveReaderIndex(forwardBy: at + delimiter.count)
                state = .afterDelimiter
            case .afterDelimiter:
                guard buffer.readableBytes >= 2 else { return }
                if buffer.readableBytesView.starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")]) {
                    state = .epilogue
                    buffer.clear()
                    try emit(.end)
                    return
                }
                guard let lf = find([UInt8(ascii: "\n")]) else {
                    if buffer.readableBytes > MultipartStreamParser.maxDelimiterPadding { throw ParseError.malformedDelimiter }
                    return
                }
                let padding = buffer.readableBytesView.prefix(lf)
                guard lf <= MultipartStreamParser.maxDelimiterPadding,
                      padding.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") })
                else { throw ParseError.malformedDelimiter }
                buffer.moveReaderIndex(forwardBy: lf + 1)
                parts += 1
                guard parts <= MultipartStreamParser.maxParts else { throw ParseError.tooManyParts }
                state = .headers
            case .headers:
                let headerEnd: Int
                let skip: Int
                if buffer.readableBytesView.starts(with: Array("\r\n".utf8)) {
                    headerEnd = 0
                    skip = 2
                } else if let at = find(Array("\r\n\r\n".utf8)) {
                    headerEnd = at
                    skip = at + 4
                } else {
                    if buffer.readableBytes > MultipartStreamParser.maxHeaderBytes { throw ParseError.headersTooLarge }
                    return
                }
                guard headerEnd <= MultipartStreamParser.maxHeaderBytes else { throw ParseError.headersTooLarge }
                let headers = MultipartStreamParser.parseHeaders(Array(buffer.readableBytesView.prefix(headerEnd)))
                buffer.moveReaderIndex(forwardBy: skip)
                state = .body
                try emit(.partStart(headers))
            case .body:
                if let at = find(delimiter) {
                    if at > 0, let slice = buffer.readSlice(length: at) { try emit(.body(slice)) }
                    buffer.moveReaderIndex(forwardBy: delimiter.count)
                    state = .afterDelimiter
                    try emit(.partEnd)
                } else {
                    // Keep what could be the start of a delimiter split across chunks.
                    let safe = buffer.readableBytes - (delimiter.count - 1)
                    if safe > 0, let slice = buffer.readSlice(length: safe) { try emit(.body(slice)) }
                    return
                }
            case .epilogue:
                buffer.clear()
                return
            }
        }
    }

    /// Offset of `pattern` in the readable bytes, searching with memchr-speed for its first byte.
    private func find(_ pattern: [UInt8]) -> Int? {
        buffer.withUnsafeReadableBytes { raw -> Int? in
            pattern.withUnsafeBytes { needle -> Int? in
                guard let base = raw.baseAddress, let needleBase = needle.baseAddress, raw.count >= needle.count else { return nil }
                let last = raw.count - needle.count
                var i = 0
                while i <= last {
                    guard let found = memchr(base + i, Int32(needle[0]), last - i + 1) else { return nil }
                    let hit = base.distance(to: UnsafeRawPointer(found))
                    if memcmp(base + hit, needleBase, needle.count) == 0 { return hit }
                    i = hit + 1
                }
                return nil
            }
        }
    }

    static func parseHeaders(_ block: [UInt8]) -> PartHeaders {
        var headers = PartHeaders(name: nil, fileName: nil)
        for rawLine in block.split(separator: UInt8(ascii: "\n")) {
            let line = rawLine.last == UInt8(ascii: "\r") ? rawLine.dropLast() : rawLine[...]
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")),
                  isContentDisposition(line[..<colon]) else { continue }
            let disposition = HeaderParameters(line[line.index(after: colon)...])
            headers.name = disposition.string("name")
            headers.fileName = disposition.fileName
        }
        return headers
    }

    private static let contentDisposition = Array("content-disposition".utf8)

    /// A header name, compared on its bytes: ASCII case-insensitive, blanks around it ignored.
    private static func isContentDisposition(_ name: ArraySlice<UInt8>) -> Bool {
        let blank = { (b: UInt8) in b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        guard let first = name.firstIndex(where: { !blank($0) }), let last = name.lastIndex(where: { !blank($0) }) else { return false }
        let trimmed = name[first...last]
        return trimmed.count == contentDisposition.count
            && zip(trimmed, contentDisposition).allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z") ~= $0 ? $0 | 0x20 : $0) == $1 }
    }
}
