@testable import Host
import XCTest

final class PathBatcherTests: XCTestCase {
    func testFullBatchesWhileWalkingAndShrinkingOnesAtTheEnd() {
        var batcher = PathBatcher(size: 32, threads: 2)
        let paths = (0..<200).map { "/walk/\($0)" }
        var batches: [[String]] = []
        for (index, path) in paths.enumerated() {
            if let batch = batcher.add(path) {
                batches.append(batch)
                XCTAssertEqual(index + 1 - batches.count * 32, 64, "a batch leaves only when 64 paths wait behind it")
            }
        }
        XCTAssertEqual(batches.map(\.count), [32, 32, 32, 32])
        let tail = batcher.finish()
        XCTAssertEqual(tail.map(\.count), [18, 14, 10, 8, 6, 4, 3, 3, 2, 1, 1, 1, 1])
        XCTAssertEqual((batches + tail).flatMap { $0 }, paths, "every path once, in walk order")
        XCTAssertEqual(batcher.finish().count, 0)
    }

    func testASmallWalkAndOneThread() {
        var batcher = PathBatcher(size: 32, threads: 2)
        for i in 0..<10 { XCTAssertNil(batcher.add("/f\(i)")) }
        XCTAssertEqual(batcher.finish().map(\.count), [3, 2, 2, 1, 1, 1])

        var single = PathBatcher(size: 4, threads: 1)
        let emitted = (0..<9).compactMap { single.add("/g\($0)") }
        XCTAssertEqual(emitted, [["/g0", "/g1", "/g2", "/g3"]])
        XCTAssertEqual(single.finish(), [["/g4", "/g5", "/g6"], ["/g7"], ["/g8"]])
    }
}
