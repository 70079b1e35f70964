import XCTest
@testable import Thunderstorm

final class HTTPDateTests: XCTestCase {
    func testIMFFixdate() {
        XCTAssertEqual(HTTPDate.format(0), "Thu, 01 Jan 1970 00:00:00 GMT")
        XCTAssertEqual(HTTPDate.format(1_796_620_501), "Mon, 07 Dec 2026 05:15:01 GMT")
    }
}
