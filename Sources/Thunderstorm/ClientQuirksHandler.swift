import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Channel-level fixes for what real clients send, before Hummingbird sees a request.
/// (Absolute-form targets, `POST http://host:8080/api/checkAsync?...` from the Python collector,
/// need nothing here: NIOHTTPTypesHTTP1 already reduces them to path and query.)
/// `Expect: 100-continue` (curl, about 1 MiB and up) gets `100 Continue` at once, unless the
/// declared length is already over the limit (then the final 413 comes without the body, and
/// UploadEndpointHandler closes the connection, so an unread gigabyte is not drained).
final class ClientQuirksHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    private let maxBodyBytes: Int64

    init(maxBodyBytes: Int64) {
        self.maxBodyBytes = maxBodyBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var request) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        if let expect = request.headerFields[.expect], expect.lowercased().contains("100-continue") {
            request.headerFields[.expect] = nil
            let declared = request.headerFields[.contentLength].flatMap { Int64($0) } ?? 0
            if declared <= maxBodyBytes {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
            }
        }
        context.fireChannelRead(wrapInboundOut(.head(request)))
    }

}
