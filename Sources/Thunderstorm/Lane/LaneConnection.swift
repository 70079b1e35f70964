import NIOCore

/// One client connection of the UploadLane and where its current request stands. It has one owner
/// at a time: the lane's thread while the connection is armed in epoll or being read, the thread
/// that answers while a sample is scanned. So its fields need no lock.
final class LaneConnection {
    let fd: Int32
    let remote: String?
    /// Bytes read and not yet used: a head that has not ended, a request sent behind the current one.
    var pending: [UInt8] = []
    /// Where in `pending` the search for the head's end goes on.
    private var searched = 0
    /// The upload whose body is being read, and how many of its bytes are still to come.
    private var upload: OpenUpload?
    private var remaining = 0
    /// The end of an answer the socket did not take at once.
    var unsent: ByteBuffer?
    var closeAfterUnsent = false
    /// When a request head last ended, body bytes last came or an answer was last written (bytes of
    /// a head that has not ended do not count: a head trickled a byte at a time is cut off).
    var lastActivity: Double
    /// Armed in epoll for its next bytes, so the lane's thread holds it (guarded by the lane's lock).
    var armedForRead = false

    /// What the lane does with the connection after it read.
    enum Next {
        /// Wait for more bytes.
        case read
        /// The upload is received: the lane hands it to the scan or the queue, whose answer comes
        /// from another thread. Last, once the connection's state is saved: from then on the
        /// connection is the answer's.
        case submit(OpenUpload)
        /// Answer and close (the rest of the request is not read).
        case refuse(APIAnswer)
        /// A request of another shape: the rest of the connection, from `pending`, is NIO's.
        case handOff
        /// The client is gone or broke the protocol.
        case close
    }

    init(fd: Int32, remote: String?, now: Double) {
        self.fd = fd
        self.remote = remote
        lastActivity = now
    }

    /// An upload's body is being read.
    var isReceiving: Bool { upload != nil }

    /// Drops an upload in progress (the connection ends without its answer).
    func abandon() {
        upload?.session.discard()
        upload = nil
    }

    /// Goes on with `bytes` just read (after whatever `pending` holds).
    func consume(_ bytes: UnsafeRawBufferPointer, service: ThunderstormService) -> Next {
        if pending.isEmpty {
            let (next, used) = process(bytes, service: service)
            if used < bytes.count { pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[used...])) }
            return next
        }
        pending.append(contentsOf: bytes)
        return resume(service: service)
    }

    /// Goes on with the bytes `pending` holds (a request that came behind an answered one).
    func resume(service: ThunderstormService) -> Next {
        let held = pending
        let (next, used) = held.withUnsafeBytes { process($0, service: service) }
        pending.removeFirst(used)
        return next
    }

    /// Reads requests from `bytes` as far as they go; returns what next and how many bytes it used.
    private func process(_ bytes: UnsafeRawBufferPointer, service: ThunderstormService) -> (Next, Int) {
        var used = 0
        while true {
            if let open = upload {
                let take = min(remaining, bytes.count - used)
                do {
                    try open.session.feed(UnsafeRawBufferPointer(rebasing: bytes[used..<used + take]))
                } catch {
                    abandon()
                    return (.refuse(service.refusal(for: error)), used)
                }
                used += take
                remaining -= take
                if take > 0 { lastActivity = ServiceStats.now() }
                guard remaining == 0 else { return (.read, used) }
                upload = nil
                return (.submit(open), used)
            }
            guard used < bytes.count else { return (.read, used) }
            let rest = UnsafeRawBufferPointer(rebasing: bytes[used...])
            guard let headLength = SimpleUploadHead.length(in: rest, from: searched) else {
                // Not whole yet; a head longer than a simple one may be is the full parser's.
                if rest.count > SimpleUploadHead.maxBytes + 3 { return (.handOff, used) }
                searched = max(0, rest.count - 3)
                return (.read, used)
            }
            searched = 0
            guard let head = SimpleUploadHead.parse(UnsafeBufferPointer(rebasing: rest.bindMemory(to: UInt8.self)[..<headLength])),
                  let endpoint = APIRoute.endpoint(forPath: QueryParameters.pathAndQuery(of: head.target).path) else {
                return (.handOff, used)
            }
            switch service.beginUpload(endpoint, target: head.target, contentLength: String(head.contentLength),
                                       contentType: head.contentType, connection: head.connection) {
            case .refused(let refusal):
                return (.refuse(refusal), used)
            case .receiving(let open):
                lastActivity = open.start
                used += headLength + 4
                upload = open
                remaining = head.contentLength
            }
        }
    }
}
