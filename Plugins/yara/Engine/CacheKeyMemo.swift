import Foundation

/// Remembers the compiled-rules cache key of rule files that have not changed since it was
/// computed, so that a start (every worker's) need not read and hash all of them again
/// (signature-base: 8.5 MB, ~15 ms of each worker's start).
///
/// A memo is found by a fingerprint of the files' identities and change times (device, inode,
/// size, modification and status-change times in nanoseconds), as git's index and make do. Any
/// write, rename over, or `touch` changes the status-change time, which no one can set back.
/// A memo is written only for files that had settled: last changed in an earlier clock tick than
/// the one they were looked at in. A file written again within that tick could otherwise keep
/// its times while its bytes change.
struct CacheKeyMemo {
    let directory: String

    /// The fingerprint of `files` together with `header` (what else the key covers), and whether
    /// they had all settled; nil when a file cannot be looked at.
    static func fingerprint(header: String, files: [String]) -> (value: String, settled: Bool)? {
        // The clock file times come from, read before any file is looked at.
        var lookedAt = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &lookedAt)
        var sha = SHA256Stream()
        sha.update(header)
        var latest = timespec()
        for file in files {
            var info = stat()
            guard stat(file, &info) == 0 else { return nil }
            sha.update(file)
            sha.update("\(info.st_dev) \(info.st_ino) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)")
            for time in [info.st_mtim, info.st_ctim] where Self.isBefore(latest, time) { latest = time }
        }
        guard let hex = sha.finish() else { return nil }
        return (hex, Self.isBefore(latest, lookedAt))
    }

    private func path(_ fingerprint: String) -> String { directory + "/yara-files-" + fingerprint + ".key" }

    /// The remembered key, when there is a well-formed memo.
    func recall(fingerprint: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path(fingerprint)), data.count == 64,
              data.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Best effort, like the cache itself; written whole or not at all (atomic replace).
    func remember(_ key: String, fingerprint: String) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try? Data(key.utf8).write(to: URL(fileURLWithPath: path(fingerprint)), options: .atomic)
    }

    private static func isBefore(_ a: timespec, _ b: timespec) -> Bool {
        a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec)
    }
}
