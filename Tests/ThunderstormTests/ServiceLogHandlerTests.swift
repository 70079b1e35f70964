import Logging
import XCTest
@testable import Thunderstorm

final class ServiceLogHandlerTests: XCTestCase {
    struct Refused: Error, CustomStringConvertible { var description: String { "refused" } }

    func testALineCarriesSortedMetadataTheEventsWinningAndItsError() {
        var handler = ServiceLogHandler(label: "thunderstorm")
        handler[metadataKey: "request"] = "7"
        handler[metadataKey: "b"] = "handler"
        let event = LogEvent(level: .error, message: "upload failed", error: Refused(), metadata: ["b": "event", "a": "1"],
                             source: "Thunderstorm", file: #fileID, function: #function, line: #line)
        XCTAssertEqual(handler.line(for: event, at: "2026-12-07T10:00:00+0000"),
                       "2026-12-07T10:00:00+0000 error thunderstorm: a=1 b=event request=7 [Thunderstorm] upload failed error=refused\n")
        let plain = LogEvent(level: .info, message: "listening", metadata: nil, source: "S", file: #fileID, function: #function, line: #line)
        XCTAssertEqual(ServiceLogHandler(label: "x").line(for: plain, at: "T"), "T info x: [S] listening\n")
    }
}
