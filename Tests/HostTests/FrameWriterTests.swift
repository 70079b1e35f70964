import CHostSystem
import Glibc
import XCTest
@testable import Host

/// The worker's frames reach the supervisor in order, and its signal wakes the supervisor once a
/// batch (plus once per 64 KiB), not once per frame. A real socket pair and eventfd.
final class FrameWriterTests: XCTestCase {
    private var sockets: [Int32] = [-1, -1]
    private var signal: Int32 = -1

    override func setUpWithError() throws {
        XCTAssertEqual(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &sockets), 0)
        signal = eventfd(0, Int32(EFD_NONBLOCK))
        XCTAssertGreaterThanOrEqual(signal, 0)
    }

    override func tearDown() {
        sockets.forEach { close($0) }
        close(signal)
    }

    /// Signals since the last call (reading the eventfd resets it).
    private func takeSignals() -> UInt64 {
        var count: UInt64 = 0
        return read(signal, &count, 8) == 8 ? count : 0
    }

    func testABatchSignalsOnceAtItsEndAndKeepsTheStreamOrder() throws {
        let out = FrameWriter(fd: sockets[1], signalFD: signal)
        try out.send(kind: FrameKind.moduleStart, payload: Array("yara".utf8))
        try out.done([1], signal: false)
        try out.send(kind: FrameKind.event, payload: [2, 2])
        try out.send(kind: FrameKind.moduleStart, payload: Array("ioc".utf8))
        XCTAssertEqual(takeSignals(), 0, "frames inside a batch wake nobody")
        try out.done([3], signal: true)
        XCTAssertEqual(takeSignals(), 1)

        let reader = FrameBuffer(fd: sockets[0], validKinds: FrameKind.toSupervisor)
        var frames: [Wire.Frame] = []
        for _ in 0..<5 { frames.append(try reader.receive()) }
        XCTAssertEqual(frames.map(\.kind), [FrameKind.moduleStart, FrameKind.done, FrameKind.event, FrameKind.moduleStart, FrameKind.done])
        XCTAssertEqual(frames.map(\.payload), [Array("yara".utf8), [1], [2, 2], Array("ioc".utf8), [3]])
        XCTAssertFalse(try reader.fillAvailable(), "nothing more was sent")
    }

    func testEvery64KiBSentUnsignalledSignalsOnce() throws {
        let out = FrameWriter(fd: sockets[1], signalFD: signal)
        let event = [UInt8](repeating: 0x41, count: 10 * 1024)
        // 10,245 bytes a frame: the 7th passes 64 KiB; the six after it stay under the next 64 KiB.
        for sent in 1...13 {
            try out.send(kind: FrameKind.event, payload: event)
            XCTAssertEqual(takeSignals(), sent == 7 ? 1 : 0, "after event \(sent)")
        }
        let reader = FrameBuffer(fd: sockets[0], validKinds: FrameKind.toSupervisor)
        for _ in 0..<13 { XCTAssertEqual(try reader.receive().payload, event) }
        // A single write of 64 KiB or more signals before it is written (the supervisor must read
        // while it goes out), and again after it.
        try out.send(kind: FrameKind.event, payload: [UInt8](repeating: 0x42, count: 64 * 1024))
        XCTAssertEqual(takeSignals(), 2)
        XCTAssertEqual(try reader.receive().payload, [UInt8](repeating: 0x42, count: 64 * 1024))
    }

    func testFillAvailableNeverWaitsAndSeesTheEnd() throws {
        let reader = FrameBuffer(fd: sockets[0], validKinds: FrameKind.toSupervisor)
        XCTAssertFalse(try reader.fillAvailable())
        try Wire.send(sockets[1], kind: FrameKind.done, payload: [9, 9, 9])
        XCTAssertTrue(try reader.fillAvailable())
        XCTAssertEqual(try XCTUnwrap(reader.next()).payload, [9, 9, 9])
        XCTAssertFalse(reader.holdsPartialFrame)
        close(sockets[1])
        sockets[1] = -1
        XCTAssertThrowsError(try reader.fillAvailable()) { error in
            guard case Wire.Failure.closed = error else { return XCTFail("\(error)") }
        }
    }
}
