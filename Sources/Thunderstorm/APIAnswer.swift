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
