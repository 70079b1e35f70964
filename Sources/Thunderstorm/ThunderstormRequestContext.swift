import Hummingbird
import NIOCore

/// Request context that keeps the peer address: it is the log host name when no `source` is given.
public struct ThunderstormRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}
