import Foundation
import XCTest
@testable import Thunderstorm

/// Reverse DNS for clients without `source`: cached, bounded in time, the address when there is no name.
final class ClientNamesTests: XCTestCase {
    /// Counts lookups and answers after `delay` seconds.
    private final class Resolver: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        let delay: Double
        let answer: String?
        init(delay: Double = 0, answer: String?) { (self.delay, self.answer) = (delay, answer) }
        var calls: Int { lock.lock(); defer { lock.unlock() }; return count }
        func resolve(_ address: String) -> String? {
            lock.lock(); count += 1; lock.unlock()
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            return answer
        }
    }

    func testLoopbackResolvesToLocalhost() async {
        let name = await ClientNames().name(of: "127.0.0.1")
        XCTAssertEqual(name, "localhost")
        XCTAssertNil(ClientNames.reverseLookup("not-an-address"))
    }

    func testNamesAndFailuresAreCached() async {
        let named = Resolver(answer: "wks-1.corp.example")
        let names = ClientNames(resolve: named.resolve)
        for _ in 0..<3 {
            let name = await names.name(of: "10.0.0.1")
            XCTAssertEqual(name, "wks-1.corp.example")
        }
        XCTAssertEqual(named.calls, 1)

        let unnamed = Resolver(answer: nil)
        let addresses = ClientNames(resolve: unnamed.resolve)
        for _ in 0..<3 {
            let name = await addresses.name(of: "10.0.0.2")
            XCTAssertEqual(name, "10.0.0.2")
        }
        XCTAssertEqual(unnamed.calls, 1)
    }

    func testASlowResolverCostsAtMostTheTimeoutAndFillsTheCacheLater() async throws {
        let slow = Resolver(delay: 1.0, answer: "slow.example")
        let names = ClientNames(timeout: 0.2, resolve: slow.resolve)
        let start = Date()
        async let a = names.name(of: "10.0.0.3")
        async let b = names.name(of: "10.0.0.3")
        let answers = await [a, b]
        XCTAssertEqual(answers, ["10.0.0.3", "10.0.0.3"])
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.9)
        try await Task.sleep(nanoseconds: 1_200_000_000)
        let later = await names.name(of: "10.0.0.3")
        XCTAssertEqual(later, "slow.example")
        XCTAssertEqual(slow.calls, 1)
    }

    func testACachedNameIsAnsweredInPlace() async {
        let names = ClientNames(resolve: Resolver(answer: "wks-3").resolve)
        let first = await names.name(of: "10.0.0.5")
        XCTAssertEqual(first, "wks-3")
        let answered = OrderLog()
        names.name(of: "10.0.0.5") { answered.append($0) }
        XCTAssertEqual(answered.entries, ["wks-3"])
    }

    func testExpiredNamesAreLookedUpAgain() async throws {
        let resolver = Resolver(answer: "wks-2")
        let names = ClientNames(ttl: 0.1, resolve: resolver.resolve)
        let first = await names.name(of: "10.0.0.4")
        try await Task.sleep(nanoseconds: 200_000_000)
        let second = await names.name(of: "10.0.0.4")
        XCTAssertEqual([first, second], ["wks-2", "wks-2"])
        XCTAssertEqual(resolver.calls, 2)
    }
}

extension ClientNames {
    /// The callback as a suspension, for these tests.
    func name(of address: String) async -> String {
        await withCheckedContinuation { continuation in name(of: address) { continuation.resume(returning: $0) } }
    }
}
