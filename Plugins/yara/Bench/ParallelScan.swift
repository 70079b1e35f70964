import Foundation
import YaraEngine

/// Scans files on N threads, one reusable YaraScanner per thread, files handed out in order.
enum ParallelScan {
    nonisolated(unsafe) static var errorCount = 0

    /// Rule names matched per file, in the order of `files`.
    static func run(files: [WalkedFile], rules: YaraRules, threads: Int, perFileExternals: Bool) -> [[String]] {
        let lock = NSLock()
        // Largest files first, so no thread is left with one big file while the others idle.
        let order = files.indices.sorted { files[$0].size > files[$1].size }
        var next = 0
        var results = [[String]](repeating: [], count: files.count)
        var errors = 0
        let group = DispatchGroup()
        for _ in 0..<threads {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                guard let scanner = try? YaraScanner(rules: rules) else { return }
                let setter = ExternalSetter(scanner: scanner)
                var local: [(Int, [String])] = []
                var localErrors = 0
                while true {
                    lock.lock()
                    let position = next
                    next += 1
                    lock.unlock()
                    if position >= order.count { break }
                    let index = order[position]
                    let file = files[index]
                    if perFileExternals { setter.set(for: file) }
                    do {
                        let result = try TreeWalk.withCPath(file.path) { try scanner.scanFile(atCPath: $0) }
                        local.append((index, result.matches.map { rules.rules[$0.ruleIndex].name }))
                    } catch {
                        localErrors += 1
                    }
                }
                lock.lock()
                for (index, names) in local { results[index] = names }
                errors += localErrors
                lock.unlock()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        errorCount = errors
        return results
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

enum JSONString {
    /// JSON string literal with Python json.dumps escaping (ASCII only, \uXXXX otherwise).
    static func quote(_ s: String) -> String {
        var out = "\""
        for unit in s.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default: out += String(format: "\\u%04x", unit)
            }
        }
        return out + "\""
    }
}
