import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Reads the upload requests collectors send (`SimpleUploadHead`: a Content-Length body, nothing
/// unusual) ahead of NIO's HTTP/1 decoder and hands their parts straight to UploadEndpointHandler,
/// as the decoder would. The decoder, its header conversion and the handlers between cost more
/// per small sample than the rest of its upload (measured: 2-3% more samples/s on /api/check).
///
/// The first request of any other shape, and everything after it on that connection, goes to the
/// decoder: the switch happens at a request boundary, so the decoder starts on a request head.
/// Requests keep their order either way (UploadEndpointHandler answers them in turn).
final class UploadFastPath: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private enum State {
        /// Reading a request head; `pending` holds its start.
        case head
        /// Handing on this many more body bytes of the current request.
        case body(remaining: Int)
        /// Everything goes to the decoder from here on.
        case passThrough
    }

    /// Where the parts of a simple request go (UploadEndpointHandler's channelRead).
    private let deliver: (HTTPRequestPart) -> Void
    private var state = State.head
    private var pending: ByteBuffer?
    /// Where in `pending` the search for the head's end goes on: a head sent a byte at a time is
    /// searched once, not once per byte.
    private var searched = 0

    init(deliver: @escaping (HTTPRequestPart) -> Void) {
        self.deliver = deliver
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .passThrough = state { return context.fireChannelRead(data) }
        var buffer = unwrapInboundIn(data)
        if var earlier = pending {
            earlier.writeBuffer(&buffer)
            buffer = earlier
            pending = nil
        }
        while buffer.readableBytes > 0 {
            if case .body(let remaining) = state {
                let slice = buffer.readSlice(length: min(remaining, buffer.readableBytes))!
                deliver(.body(slice))
                endBody(remaining: remaining - slice.readableBytes)
                continue
            }
            // A request head; a head of another shape hands the connection to the decoder and returns.
            guard let headLength = buffer.withUnsafeReadableBytes({ SimpleUploadHead.length(in: $0, from: searched) }) else {
                // Not whole yet: kept, unless it is already longer than a simple head may be.
                if buffer.readableBytes > SimpleUploadHead.maxBytes + 3 { return passOn(buffer, context: context) }
                searched = max(0, buffer.readableBytes - 3)
                pending = buffer
                return
            }
            searched = 0
            let parsed = buffer.withUnsafeReadableBytes { raw in
                SimpleUploadHead.parse(UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[..<headLength]))
            }
            guard let head = parsed else { return passOn(buffer, context: context) }
            buffer.moveReaderIndex(forwardBy: headLength + 4)
            deliver(.head(Self.request(head)))
            endBody(remaining: head.contentLength)
        }
    }

    /// Gives the request's end once its body is through.
    private func endBody(remaining: Int) {
        if remaining > 0 {
            state = .body(remaining: remaining)
        } else {
            state = .head
            deliver(.end(nil))
        }
    }

    /// From this request on, the connection is the decoder's.
    private func passOn(_ buffer: ByteBuffer, context: ChannelHandlerContext) {
        state = .passThrough
        context.fireChannelRead(wrapInboundOut(buffer))
    }

    /// The head as UploadEndpointHandler reads one from the decoder.
    private static func request(_ head: SimpleUploadHead) -> HTTPRequest {
        var fields = HTTPFields()
        fields[.contentLength] = String(head.contentLength)
        if let type = head.contentType { fields[.contentType] = type }
        if let connection = head.connection { fields[.connection] = connection }
        return HTTPRequest(method: .post, scheme: nil, authority: nil, path: head.target, headerFields: fields)
    }
}
