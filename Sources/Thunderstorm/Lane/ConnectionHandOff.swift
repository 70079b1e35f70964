import HummingbirdCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// Serves the connections UploadLane hands on with Hummingbird's HTTP/1 channel, the one its own
/// listener uses (`install` captures it when the application builds it): the same handlers, router
/// and limits as if Hummingbird had accepted them. The bytes the lane read of a connection go in
/// first.
final class ConnectionHandOff: Sendable {
    private let child = NIOLockedValueBox<HTTP1Channel?>(nil)
    private let open = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])
    private let running = NIOLockedValueBox<Int>(0)
    private let quiescing = NIOLockedValueBox(false)
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// The channel Hummingbird serves its own connections with.
    func install(_ channel: HTTP1Channel) {
        child.withLockedValue { $0 = channel }
    }

    /// Serves `fd` from the request that begins `bytes`; `closed` is called once the connection is gone.
    func serve(_ fd: Int32, bytes: [UInt8], closed: @escaping @Sendable () -> Void) {
        guard let child = child.withLockedValue({ $0 }) else {
            close(fd)
            return closed()
        }
        running.withLockedValue { $0 += 1 }
        let logger = logger
        Task {
            defer {
                running.withLockedValue { $0 -= 1 }
                closed()
            }
            let value: HTTP1Channel.Value
            do {
                value = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
                    .withConnectedSocket(fd) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(ReplayHandler(bytes))
                        }.flatMap { child.setup(channel: channel, logger: logger) }
                    }
            } catch {
                logger.error("cannot serve a connection: \(error)")
                return
            }
            let id = ObjectIdentifier(value.channel)
            open.withLockedValue { $0[id] = value.channel }
            // Handed on while the service was stopping: it ends after its request, like the rest.
            if quiescing.withLockedValue({ $0 }) { value.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent()) }
            await child.handle(value: value, logger: logger)
            open.withLockedValue { $0[id] = nil }
        }
    }

    /// Asks every connection to close once it is idle (as Hummingbird's own shutdown does) and
    /// waits until they have.
    func quiesce() async {
        quiescing.withLockedValue { $0 = true }
        for channel in open.withLockedValue({ Array($0.values) }) {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        while running.withLockedValue({ $0 }) > 0 {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
    }
}

/// Gives the pipeline the bytes read before NIO had the connection, as its first read.
private final class ReplayHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    private let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        if !bytes.isEmpty {
            context.fireChannelRead(wrapInboundOut(context.channel.allocator.buffer(bytes: bytes)))
            context.fireChannelReadComplete()
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
