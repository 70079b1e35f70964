import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Channel-level fixes for what real clients send, before Hummingbird sees a request.
/// (Absolute-form targets, `POST http://host:8080/api/checkAsync?...` from the Python collector,
/// need nothing here: NIOHTTPTypesHTTP1 already reduces them to path and query.)
/// - `Expect: 100-continue` (curl, about 1 MiB and up) gets `100 Continue` at once, unless the
///   declared length is already over the limit (then the final 413 comes without the body);
/// - after a response that carries `Connection: close` (refusals before the body was read) the
///   connection is closed, so an unread gigabyte is not drained.
final class ClientQuirksHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let maxBodyBytes: Int64
    private var closeAfterResponse = false

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

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let response):
            if response.headerFields[.connection]?.lowercased() == "close" { closeAfterResponse = true }
            context.write(data, promise: promise)
        case .end:
            guard closeAfterResponse else {
                context.write(data, promise: promise)
                return
            }
            closeAfterResponse = false
            let written = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(data, promise: written)
            written.futureResult.whenComplete { [context] _ in context.close(promise: nil) }
            written.futureResult.cascade(to: promise)
        default:
            context.write(data, promise: promise)
        }
    }
}
