import CHostSystem
import NIOConcurrencyHelpers
import Foundation
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// The collectors' uploads without NIO: one thread that owns the listening socket, reads the
/// requests in their plain shape (SimpleUploadHead) straight into their upload files with epoll, and
/// answers each from the thread its scan ends on. A small sample costs the service less than half
/// of what it costs through NIO's pipeline, promises and a wake-up of its event loop per answer.
///
/// The first request of any other shape (status, chunked bodies, `Expect`, anything in doubt) hands
/// the connection, with the bytes read of it, to Hummingbird (ConnectionHandOff), which serves it
/// from there on.
///
/// Each connection has one owner (see LaneConnection): epoll reports it once (EPOLLONESHOT) and
/// whoever holds it arms it again when done.
final class UploadLane: @unchecked Sendable {
    private let service: ThunderstormService
    private let listener: ListeningSocket
    private let epoll: Int32
    /// Wakes the lane's thread for connections given back to it (`posted`) and for `stop`.
    private let wake: Int32
    private let handOff: ConnectionHandOff
    private let lock = NIOLock()
    private var connections: [Int32: LaneConnection] = [:]
    private var posted: [LaneConnection] = []
    /// Connections held here and handed to NIO (until NIO closes them), against `maxConnections`.
    private var open = 0
    private var accepting = true
    private var stopping = false
    private let finished = ConditionLock(value: false)
    private let allocator = ByteBufferAllocator()
    private static let readSize = 256 * 1024
    private static let readsPerTurn = 16

    var port: Int { listener.port }

    init(service: ThunderstormService, listener: ListeningSocket, handOff: ConnectionHandOff) throws {
        self.service = service
        self.listener = listener
        self.handOff = handOff
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        wake = eventfd(0, Int32(EFD_CLOEXEC) | Int32(EFD_NONBLOCK))
        guard epoll >= 0, wake >= 0 else {
            let code = errno
            [epoll, wake].filter { $0 >= 0 }.forEach { close($0) }
            throw ListeningSocket.Failure("epoll", code: code)
        }
        _ = thor_epoll_ctl(epoll, EPOLL_CTL_ADD, listener.fd, EPOLLIN.rawValue)
        _ = thor_epoll_ctl(epoll, EPOLL_CTL_ADD, wake, EPOLLIN.rawValue)
    }

    func start() {
        let thread = Thread { [self] in
            Thread.current.name = "ts-upload-lane"
            run()
            finished.lock()
            finished.unlock(withValue: true)
        }
        thread.start()
    }

    /// Stops taking connections and closes the idle ones; returns once every answer in progress was written.
    func stop() {
        lock.withLock { stopping = true }
        wakeThread()
        finished.lock(whenValue: true)
        finished.unlock()
    }

    /// A connection the lane held or handed on has closed.
    func connectionClosed() {
        lock.withLock { open -= 1 }
        resumeAccepting()
    }

    private func run() {
        var fds = [Int32](repeating: 0, count: 64)
        var events = [UInt32](repeating: 0, count: 64) // not looked at: a read or a send says what happened
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readSize, alignment: 16)
        defer { buffer.deallocate() }
        var nextSweep = ServiceStats.now() + 1
        while true {
            let n = thor_epoll_wait(epoll, &fds, &events, 64, 1000)
            for i in 0..<max(0, Int(n)) {
                if fds[i] == listener.fd {
                    acceptAll()
                } else if fds[i] == wake {
                    var count: UInt64 = 0
                    _ = read(wake, &count, 8)
                    for connection in lock.withLock({ () -> [LaneConnection] in defer { posted.removeAll() }; return posted }) {
                        proceed(connection, buffer: buffer, readable: false)
                    }
                } else if let connection = lock.withLock({ connections[fds[i]] }) {
                    proceed(connection, buffer: buffer, readable: true)
                }
            }
            let now = ServiceStats.now()
            if now >= nextSweep || lock.withLock({ stopping }) {
                nextSweep = now + 1
                if sweep(now: now) { break }
            }
        }
        close(epoll)
        close(wake)
    }

    private func acceptAll() {
        while lock.withLock({ accepting && !stopping }) {
            let fd = thor_accept_nonblocking(listener.fd)
            guard fd >= 0 else { return }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let connection = LaneConnection(fd: fd, remote: ListeningSocket.peerAddress(fd), now: ServiceStats.now())
            let full = lock.withLock { () -> Bool in
                connections[fd] = connection
                open += 1
                if open >= service.maxConnections { accepting = false }
                return !accepting
            }
            arm(connection, EPOLLIN.rawValue, add: true)
            if full { _ = thor_epoll_ctl(epoll, EPOLL_CTL_MOD, listener.fd, 0) }
        }
    }

    private func resumeAccepting() {
        let resume = lock.withLock { () -> Bool in
            guard !accepting, !stopping, open < service.maxConnections else { return false }
            accepting = true
            return true
        }
        if resume { _ = thor_epoll_ctl(epoll, EPOLL_CTL_MOD, listener.fd, EPOLLIN.rawValue) }
    }

    /// Under the lock: the sweep must not close a connection between its mark and its arming.
    private func arm(_ connection: LaneConnection, _ events: UInt32, add: Bool = false) {
        let flags = events | EPOLLONESHOT.rawValue | EPOLLRDHUP.rawValue
        lock.withLock {
            connection.armedForRead = events == EPOLLIN.rawValue
            _ = thor_epoll_ctl(epoll, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, connection.fd, flags)
        }
    }

    /// Works on a connection the lane holds: writes what an answer left, reads (`readable`: epoll
    /// reported it) or goes on with the bytes it holds (it was handed back), hands on.
    private func proceed(_ connection: LaneConnection, buffer: UnsafeMutableRawBufferPointer, readable: Bool) {
        lock.withLock { connection.armedForRead = false }
        if var rest = connection.unsent {
            connection.unsent = nil
            guard send(&rest, on: connection) else { return }
            return answered(connection, closeAfter: connection.closeAfterUnsent)
        }
        var next: LaneConnection.Next = .read
        if !readable {
            next = connection.resume(service: service)
        } else {
            // A few reads at most, then the others' turn: a fast large upload would hold the thread.
            var reads = 0
            while case .read = next, reads < Self.readsPerTurn {
                reads += 1
                let n = recv(connection.fd, buffer.baseAddress, buffer.count, 0)
                if n > 0 {
                    next = connection.consume(UnsafeRawBufferPointer(rebasing: buffer[..<n]), service: service)
                    if n < buffer.count, case .read = next { break }
                } else if n < 0 && errno == EINTR {
                    continue
                } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                    break
                } else {
                    next = .close
                }
            }
        }
        switch next {
        case .read: arm(connection, EPOLLIN.rawValue)
        case .submit(let upload):
            let answer = answerer(connection)
            if let refusal = service.finishUpload(upload, remote: connection.remote, answer: { answer($0, upload.closeAfter) }) {
                answer(refusal, true)
            }
        case .refuse(let answer): answerer(connection)(answer, true)
        case .handOff:
            remove(connection)
            handOff.serve(connection.fd, bytes: connection.pending) { [self] in connectionClosed() }
        case .close:
            end(connection)
        }
    }

    /// Closes a connection the caller holds, dropping an upload it was receiving.
    private func end(_ connection: LaneConnection) {
        connection.abandon()
        remove(connection)
        close(connection.fd)
        connectionClosed()
    }

    /// Forgets a connection that leaves the lane (its descriptor stays open).
    private func remove(_ connection: LaneConnection) {
        lock.withLock { connections[connection.fd] = nil }
        _ = thor_epoll_ctl(epoll, EPOLL_CTL_DEL, connection.fd, 0)
    }

    /// Writes an answer from whichever thread has it: the connection is this thread's until it is
    /// armed again, handed back to the lane or closed.
    private func answerer(_ connection: LaneConnection) -> @Sendable (APIAnswer, Bool) -> Void {
        { [self] answer, closeAfter in
            let close = closeAfter || lock.withLock { stopping }
            var bytes = answer.http1(date: HTTPDate.now, closeAfter: close, allocator: allocator)
            connection.closeAfterUnsent = close
            connection.lastActivity = ServiceStats.now()
            guard send(&bytes, on: connection) else { return }
            answered(connection, closeAfter: close)
        }
    }

    /// Sends `bytes`; false when the socket took only part: the rest waits in the connection for
    /// the lane to send when the socket has room.
    private func send(_ bytes: inout ByteBuffer, on connection: LaneConnection) -> Bool {
        while bytes.readableBytes > 0 {
            let n = bytes.withUnsafeReadableBytes { Glibc.send(connection.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                bytes.moveReaderIndex(forwardBy: n)
            } else if n < 0 && errno == EINTR {
                continue
            } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                connection.unsent = bytes
                arm(connection, EPOLLOUT.rawValue)
                return false
            } else {
                // The client is gone: reading tells the lane so.
                return true
            }
        }
        return true
    }

    private func answered(_ connection: LaneConnection, closeAfter: Bool) {
        if closeAfter {
            end(connection)
            // A stopping lane waits for its last connections.
            if lock.withLock({ stopping }) { wakeThread() }
        } else if !connection.pending.isEmpty {
            lock.withLock { posted.append(connection) }
            wakeThread()
        } else {
            arm(connection, EPOLLIN.rawValue)
        }
    }

    private func wakeThread() {
        var one: UInt64 = 1
        _ = write(wake, &one, 8)
    }

    /// Closes the connections armed for reading whose last bytes came the idle timeout ago (an
    /// upload stalled that long is dropped), or, when stopping, all of those between requests;
    /// true when stopping and no connection is left.
    private func sweep(now: Double) -> Bool {
        let timeout = service.options.idleTimeout
        // Armed connections are this thread's: their fields can be read here.
        let (armed, stopping) = lock.withLock { (connections.values.filter(\.armedForRead), self.stopping) }
        for connection in armed where stopping ? !connection.isReceiving : timeout > 0 && now - connection.lastActivity >= timeout {
            if connection.isReceiving { service.logger.info("closing a connection whose upload stalled for \(timeout) s") }
            end(connection)
        }
        guard stopping else { return false }
        _ = thor_epoll_ctl(epoll, EPOLL_CTL_DEL, listener.fd, 0)
        return lock.withLock { connections.isEmpty }
    }
}
