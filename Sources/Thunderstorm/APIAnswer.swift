import HTTPTypes
import NIOCore

/// One answer of the API, whole: what the upload handler writes as HTTP parts and the responder
/// hands Hummingbird as a `Response`. Every error is a JSON object `{"message": ...}`.
struct APIAnswer: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: ByteBuffer

    static func json(_ value: JSONValue, pretty: Bool, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> APIAnswer {
        var fields = headers
        fields[.contentType] = "application/json"
        return APIAnswer(status: status, headers: fields, body: ByteBuffer(bytes: value.encoded(pretty: pretty)))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) -> APIAnswer {
        json(.object([("message", .string(message))]), pretty: false, status: status, headers: headers)
    }
}

extension APIAnswer {
    /// The answer as HTTP/1.1 bytes, head and body in one buffer, with `Content-Length`, `Date` and,
    /// when the connection closes after it, `Connection: close`.
    func http1(date: String, closeAfter: Bool, allocator: ByteBufferAllocator) -> ByteBuffer {
        var out = allocator.buffer(capacity: 160 + body.readableBytes)
        out.writeString("HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n")
        for field in headers where field.name != .contentLength && field.name != .date && field.name != .connection {
            out.writeString("\(field.name.rawName): \(field.value)\r\n")
        }
        out.writeString("Content-Length: \(body.readableBytes)\r\nDate: \(date)\r\n")
        if closeAfter { out.writeString("Connection: close\r\n") }
        out.writeString("\r\n")
        out.writeImmutableBuffer(body)
        return out
    }
}
