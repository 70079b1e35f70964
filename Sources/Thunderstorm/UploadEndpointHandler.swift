import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers the upload endpoints (POST /api/check and /api/checkAsync, and their /api/v1 aliases)
/// on the event loop, in front of Hummingbird: the body streams into its upload file as it is read,
/// and the answer is written from the scanner's or the queue's callback. No task and no async
/// stream per request: on small samples that bridging cost more than the upload itself (profiled).
/// Every other request passes on to Hummingbird. Uploads in the collectors' plain shape reach it
/// from UploadFastPath, ahead of the HTTP decoder; all others from the decoder. (Without TLS,
/// UploadLane serves plain uploads before NIO sees them; what reaches this handler then is the
/// connections the lane handed on.)
///
/// Answers keep the order of the requests (HTTP/1.1 pipelining): a request that comes while an
/// upload is open here, or an upload that comes while a request passed on is unanswered, waits,
/// and the connection is not read meanwhile.
///
/// A connection on which nothing arrives for `--server-idle-timeout` while no answer is pending is
/// closed (an upload stalled that long is dropped): each connection holds descriptors of a capped
/// budget (ConnectionBudget), so clients that connect and go quiet, or send a request head byte by
/// byte, would otherwise lock the others out. A scan in progress is never cut short.
final class UploadEndpointHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum State {
        case idle
        /// The body streams into the session.
        case receiving(OpenUpload)
        /// Received; the scan or the queue answers.
        case answering
        /// Answered before the body ended; the connection closes after the answer, so the rest is dropped.
        case refused
    }

    private enum Held {
        case part(HTTPRequestPart)
        case quiesce(Any)
    }

    private let service: ThunderstormService
    private var state = State.idle
    /// Requests passed on to Hummingbird whose answer has not ended yet.
    private var passedOn = 0
    /// What arrived while it had to wait, in order.
    private var held = CircularBuffer<Held>()
    /// A read was asked for while requests were held; it is issued once they went on.
    private var readWanted = false
    /// Where an answer's bytes go straight to the connection (the HTTP encoder's place): an answer
    /// made here is written whole, in one buffer, not as parts through three converting handlers.
    private var transport: ChannelHandlerContext?
    /// When a request part last arrived or an answer was last written.
    private var lastActivity = NIODeadline.now()
    private var idleCheck: Scheduled<Void>?

    init(service: ThunderstormService) {
        self.service = service
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastActivity = .now()
        let part = unwrapInboundIn(data)
        guard held.isEmpty, let admitted = admission(of: part) else {
            held.append(.part(part))
            return
        }
        process(part, admitted, context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // A graceful shutdown closes idle connections; one with an upload open here is not idle.
        if event is ChannelShouldQuiesceEvent, !held.isEmpty || !isIdle {
            held.append(.quiesce(event))
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        abandon()
        context.fireChannelInactive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        transport = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self)
        // Simple upload requests skip the HTTP decoder (UploadFastPath); not without one to fall back on.
        if let decoder = try? context.pipeline.syncOperations.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self) {
            let fastPath = UploadFastPath { [self] part in channelRead(context: context, data: NIOAny(part)) }
            try? context.pipeline.syncOperations.addHandler(fastPath, position: .before(decoder.handler))
        }
        scheduleIdleCheck(at: lastActivity + idleTimeout, context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        abandon()
        idleCheck?.cancel()
        idleCheck = nil
        transport = nil
    }

    // MARK: Idle connections

    private var idleTimeout: TimeAmount { .nanoseconds(Int64(service.options.idleTimeout * 1e9)) }

    private func scheduleIdleCheck(at deadline: NIODeadline, context: ChannelHandlerContext) {
        guard service.options.idleTimeout > 0 else { return }
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        idleCheck = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = bound.value
            handler.checkIdle(context: context)
        }
    }

    /// Closes the connection when it has been quiet for the timeout with nothing to answer;
    /// otherwise looks again when it could be.
    private func checkIdle(context: ChannelHandlerContext) {
        let now = NIODeadline.now()
        var answerPending = passedOn > 0 || !held.isEmpty
        if case .answering = state { answerPending = true }
        guard !answerPending else { return scheduleIdleCheck(at: now + idleTimeout, context: context) }
        guard now >= lastActivity + idleTimeout else { return scheduleIdleCheck(at: lastActivity + idleTimeout, context: context) }
        if case .receiving = state { service.logger.info("closing a connection whose upload stalled for \(service.options.idleTimeout) s") }
        abandon()
        context.close(promise: nil)
    }

    private var isIdle: Bool {
        if case .idle = state { return true }
        return false
    }

    /// How a part may go on now: an upload head with its endpoint, or as anything else; nil when
    /// it must wait.
    private enum Admission {
        case upload(APIRoute.Endpoint)
        case other
    }

    private func admission(of part: HTTPRequestPart) -> Admission? {
        switch state {
        case .idle:
            guard case .head(let head) = part, let endpoint = Self.uploadEndpoint(of: head) else { return .other }
            return passedOn == 0 ? .upload(endpoint) : nil
        case .receiving, .refused:
            return .other
        case .answering:
            return nil
        }
    }

    private func process(_ part: HTTPRequestPart, _ admitted: Admission, context: ChannelHandlerContext) {
        switch (state, part) {
        case (.idle, .head(let head)):
            if case .upload(let endpoint) = admitted {
                begin(endpoint, head, context: context)
            } else {
                passedOn += 1
                context.fireChannelRead(wrapInboundOut(part))
            }
        case (.idle, _):
            // The body of a request passed on.
            context.fireChannelRead(wrapInboundOut(part))
        case (.receiving(let upload), .body(let chunk)):
            do {
                try upload.session.feed(chunk)
            } catch {
                upload.session.discard()
                refuse(service.refusal(for: error), context: context)
            }
        case (.receiving(let upload), .end):
            finish(upload, context: context)
        case (.receiving(let upload), .head):
            // The decoder ends every request before the next head; this is not HTTP.
            upload.session.discard()
            refuse(.error(.badRequest, "a request started inside another"), context: context)
        case (.refused, _), (.answering, _):
            break
        }
    }

    /// The upload endpoint a request head asks for, nil for every other request (from the path
    /// alone: the query is parsed once the upload begins).
    private static func uploadEndpoint(of head: HTTPRequest) -> APIRoute.Endpoint? {
        guard head.method == .post, let target = head.path,
              let endpoint = APIRoute.endpoint(forPath: QueryParameters.pathAndQuery(of: target).path),
              APIRoute.uploadEndpoints.contains(endpoint) else { return nil }
        return endpoint
    }

    private func begin(_ endpoint: APIRoute.Endpoint, _ head: HTTPRequest, context: ChannelHandlerContext) {
        let fields = head.headerFields
        switch service.beginUpload(endpoint, target: head.path, contentLength: fields[.contentLength],
                                   contentType: fields[.contentType], connection: fields[.connection]) {
        case .receiving(let upload): state = .receiving(upload)
        case .refused(let answer): refuse(answer, context: context)
        }
    }

    private func finish(_ upload: OpenUpload, context: ChannelHandlerContext) {
        state = .answering
        let answer = answerOnLoop(context: context, closeAfter: upload.closeAfter)
        if let refusal = service.finishUpload(upload, remote: context.channel.remoteAddress?.ipAddress, answer: answer) {
            refuse(refusal, context: context)
        }
    }

    private func abandon() {
        if case .receiving(let upload) = state { upload.session.discard() }
        state = .refused
    }

    // MARK: Outbound

    /// Answers and closes the connection: the rest of the body may be unread.
    private func refuse(_ answer: APIAnswer, context: ChannelHandlerContext) {
        state = .refused
        write(answer, closeAfter: true, context: context)
    }

    /// The callback that writes the answer: on this connection's loop, whichever thread calls it.
    private func answerOnLoop(context: ChannelHandlerContext, closeAfter: Bool) -> @Sendable (APIAnswer) -> Void {
        let loop = context.eventLoop
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: loop)
        let deliver: @Sendable (APIAnswer) -> Void = { answer in
            let (handler, context) = bound.value
            guard case .answering = handler.state else { return }
            handler.state = .idle
            handler.write(answer, closeAfter: closeAfter, context: context)
            handler.replay(context: context)
        }
        return { answer in
            if loop.inEventLoop { deliver(answer) } else { loop.execute { deliver(answer) } }
        }
    }

    private func write(_ answer: APIAnswer, closeAfter: Bool, context: ChannelHandlerContext) {
        lastActivity = .now()
        // Only outside NIO's HTTP/1 server pipeline is there no encoder; nothing can be answered there.
        guard let transport else { return context.close(promise: nil) }
        let bytes = answer.http1(date: HTTPDate.now, closeAfter: closeAfter, allocator: context.channel.allocator)
        guard closeAfter else { return transport.writeAndFlush(NIOAny(bytes), promise: nil) }
        let written = context.eventLoop.makePromise(of: Void.self)
        transport.writeAndFlush(NIOAny(bytes), promise: written)
        written.futureResult.whenComplete { [context] _ in context.close(promise: nil) }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let ended: Bool
        if case .end = unwrapOutboundIn(data) { ended = true } else { ended = false }
        context.write(data, promise: promise)
        guard ended, passedOn > 0 else { return }
        lastActivity = .now()
        passedOn -= 1
        if passedOn == 0 { replay(context: context) }
    }

    func read(context: ChannelHandlerContext) {
        guard held.isEmpty else {
            readWanted = true
            return
        }
        context.read()
    }

    /// Lets held requests go on, in order, as far as they can.
    private func replay(context: ChannelHandlerContext) {
        var replayed = false
        defer {
            // Hummingbird's channel hands reads on at "read complete", and none is coming for these.
            if replayed { context.fireChannelReadComplete() }
        }
        while let next = held.first {
            switch next {
            case .part(let part):
                guard let admitted = admission(of: part) else { return }
                held.removeFirst()
                process(part, admitted, context: context)
            case .quiesce(let event):
                guard isIdle else { return }
                held.removeFirst()
                context.fireUserInboundEventTriggered(event)
            }
            replayed = true
        }
        if readWanted {
            readWanted = false
            context.read()
        }
    }
}
