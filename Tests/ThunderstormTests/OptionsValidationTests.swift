import XCTest
@testable import Thunderstorm

/// The flag combinations the service refuses before it starts, each with its message.
final class OptionsValidationTests: XCTestCase {
    func testDefaultsAreValid() {
        XCTAssertNil(ThunderstormOptions().validate())
    }

    func testEachRefusalNamesItsFlag() {
        let cases: [(String, (inout ThunderstormOptions) -> Void)] = [
            ("--server-cert needs --server-key", { $0.certificatePath = "c.pem" }),
            ("--server-key needs --server-cert", { $0.keyPath = "k.pem" }),
            ("--threads must be at least 1", { $0.threads = 0 }),
            ("--server-samples-per-thread must be at least 1", { $0.samplesPerThread = 0 }),
            ("--sync-only-threads must be below --threads (2) so async samples get a slot", { $0.threads = 2; $0.syncOnlyThreads = 2 }),
            ("--server-max-upload must be at least 1 byte", { $0.maxUploadBytes = 0 }),
            ("--server-memory-upload-limit must not be negative", { $0.memoryUploadBytes = -1 }),
            ("--server-result-cache-size must not be negative", { $0.resultCacheSize = -1 }),
            ("--server-port must be 0...65535", { $0.port = 65536 }),
        ]
        for (message, change) in cases {
            var options = ThunderstormOptions()
            change(&options)
            XCTAssertEqual(options.validate(), message)
        }
        var smallest = ThunderstormOptions()
        smallest.maxUploadBytes = 1
        XCTAssertNil(smallest.validate())
    }
}
