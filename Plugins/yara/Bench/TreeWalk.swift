import Foundation

/// One regular file found under the scanned root.
struct WalkedFile {
    /// Absolute path bytes (no NUL); names need not be UTF-8.
    let path: [UInt8]
    /// Length of the directory part of `path` (without the separating '/').
    let directoryLength: Int
    let uid: uid_t
    let size: Int64
}

/// Every regular file under a root (symlinks not followed), sorted by path bytes, as
/// yara-reference.py lists them.
enum TreeWalk {
    static func files(under root: String) -> [WalkedFile] {
        var out: [WalkedFile] = []
        var trimmed = Array(root.utf8)
        while trimmed.count > 1, trimmed.last == 0x2F { trimmed.removeLast() }
        walk(trimmed, into: &out, depth: 0)
        out.sort { $0.path.lexicographicallyPrecedes($1.path) }
        return out
    }

    private static func walk(_ dir: [UInt8], into out: inout [WalkedFile], depth: Int) {
        guard depth < 256, let handle = withCPath(dir, { opendir($0) }) else { return }
        defer { closedir(handle) }
        while let entry = readdir(handle) {
            let name: [UInt8] = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            let path = dir + [0x2F] + name
            var info = stat()
            guard withCPath(path, { lstat($0, &info) }) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: walk(path, into: &out, depth: depth + 1)
            case S_IFREG: out.append(WalkedFile(path: path, directoryLength: dir.count, uid: info.st_uid, size: Int64(info.st_size)))
            default: continue
            }
        }
    }

    /// Passes path bytes to libc as a C string, keeping bytes that are not UTF-8 intact.
    static func withCPath<T>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        let terminated = bytes.map { CChar(bitPattern: $0) } + [0]
        return try body(terminated)
    }
}
