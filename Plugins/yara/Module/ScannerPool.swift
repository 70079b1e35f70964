import Foundation
import YaraEngine

/// Reusable scanners for one rule set: a scan call takes one (or makes one the first time a
/// thread needs it) and puts it back, so each concurrent worker thread keeps its own scanner
/// and no scan pays for scanner set-up.
final class ScannerPool: @unchecked Sendable {
    let rules: YaraRules
    private let options: YaraScanner.Options
    private let lock = NSLock()
    private var idle: [YaraScanner] = []

    init(rules: YaraRules, options: YaraScanner.Options) {
        self.rules = rules
        self.options = options
    }

    func withScanner<T>(_ body: (YaraScanner) throws -> T) throws -> T {
        lock.lock()
        let reused = idle.popLast()
        lock.unlock()
        let scanner = try reused ?? YaraScanner(rules: rules, options: options)
        defer {
            lock.lock()
            idle.append(scanner)
            lock.unlock()
        }
        return try body(scanner)
    }
}
