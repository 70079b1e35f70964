import Foundation

/// Counters of one scan, shared by the worker threads.
public final class ScanStatistics: @unchecked Sendable {
    public enum Skip: String, CaseIterable, Sendable {
        case size = "SKIPPED_SIZE"
        case type = "SKIPPED_TYPE"
        case excluded = "EXCLUDED"
        case fileSystem = "SKIPPED_FILESYSTEM"

        /// Why, in a log line's words.
        public var reason: String {
            switch self {
            case .size: "larger than the size limit"
            case .type: "not a type that is scanned"
            case .excluded: "excluded"
            case .fileSystem: "on a file system that is not scanned"
            }
        }
    }

    private let lock = NSLock()
    private var _files = 0
    private var _bytes: UInt64 = 0
    private var _skipped: [Skip: Int] = [:]
    private var _current = ""

    public init() {}

    func record(_ outcome: ScanOutcome, path: String) {
        lock.lock()
        if outcome.examined { _files += 1 }
        _bytes += UInt64(outcome.bytes)
        if let skip = outcome.skip { _skipped[skip, default: 0] += 1 }
        _current = path
        lock.unlock()
    }

    func skipped(_ reason: Skip) {
        lock.lock()
        _skipped[reason, default: 0] += 1
        lock.unlock()
    }

    public var snapshot: (files: Int, bytes: UInt64, skipped: [Skip: Int], current: String) {
        lock.lock()
        defer { lock.unlock() }
        return (_files, _bytes, _skipped, _current)
    }
}
