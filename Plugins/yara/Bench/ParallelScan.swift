import Foundation
import YaraEngine

/// Scans files on N threads, one reusable YaraScanner per thread, files handed out from a
/// shared queue.
enum ParallelScan {
    struct Outcome {
        /// Rule names matched per file, in the order of the files given.
        var rules: [[String]]
        var errors: Int
    }

    static func run(files: [WalkedFile], rules: YaraRules, threads: Int, perFileExternals: Bool) -> Outcome {
        let queue = WorkQueue(files: files)
        let group = DispatchGroup()
        for _ in 0..<threads {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                guard let scanner = try? YaraScanner(rules: rules) else { return }
                let setter = ExternalSetter(scanner: scanner)
                var local: [(Int, [String])] = []
                var errors = 0
                while let index = queue.next() {
                    let file = files[index]
                    if perFileExternals { setter.set(for: file) }
                    do {
                        let result = try TreeWalk.withCPath(file.path) { try scanner.scanFile(atCPath: $0) }
                        local.append((index, result.matches.map { rules.rules[$0.ruleIndex].name }))
                    } catch {
                        errors += 1
                    }
                }
                queue.finish(local, errors: errors)
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return queue.outcome
    }
}

/// Hands out file indexes, largest file first (so no thread is left alone with one big file
/// at the end), and collects the threads' results.
final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private let order: [Int]
    private var position = 0
    private(set) var outcome: ParallelScan.Outcome

    init(files: [WalkedFile]) {
        order = files.indices.sorted { files[$0].size > files[$1].size }
        outcome = ParallelScan.Outcome(rules: Array(repeating: [], count: files.count), errors: 0)
    }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard position < order.count else { return nil }
        position += 1
        return order[position - 1]
    }

    func finish(_ results: [(Int, [String])], errors: Int) {
        lock.lock()
        defer { lock.unlock() }
        for (index, names) in results { outcome.rules[index] = names }
        outcome.errors += errors
    }
}

/// Per-file externals as yara-reference.py sets them (filetype and md5 "", owner = user name).
final class ExternalSetter {
    private let scanner: YaraScanner
    private let index: [String: Int]
    private var owners: [uid_t: String] = [:]

    init(scanner: YaraScanner) {
        self.scanner = scanner
        var index: [String: Int] = [:]
        for (i, name) in scanner.rules.externals.enumerated() { index[name] = i }
        self.index = index
    }

    func set(for file: WalkedFile) {
        let name = String(decoding: file.path[(file.directoryLength + 1)...], as: UTF8.self)
        let directory = String(decoding: file.path[..<file.directoryLength], as: UTF8.self)
        for (key, value) in FileExternals.pathExternals(directory: directory, name: name) {
            if let i = index[key] { scanner.setExternal(i, value) }
        }
        if let i = index["owner"] { scanner.setExternal(i, owner(file.uid)) }
    }

    private func owner(_ uid: uid_t) -> String {
        if let known = owners[uid] { return known }
        var name = String(uid)
        if let entry = getpwuid(uid), let pwName = entry.pointee.pw_name { name = String(cString: pwName) }
        owners[uid] = name
        return name
    }
}
