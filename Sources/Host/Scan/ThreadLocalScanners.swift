import Foundation

/// One FileScanner (buffers, hashers) per scanning thread in `--no-isolation` mode.
final class ThreadLocalScanners: @unchecked Sendable {
    private let engine: ScanEngine
    private let key = "thor.FileScanner"

    init(engine: ScanEngine) { self.engine = engine }

    var current: FileScanner {
        let dict = Thread.current.threadDictionary
        if let scanner = dict[key] as? FileScanner { return scanner }
        let scanner = engine.makeScanner()
        dict[key] = scanner
        return scanner
    }
}
