#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// POSIX file helpers with explicit durability: write to a temporary name, fsync, rename, fsync the
/// directory, so a reader after a crash sees either the old state or the complete new file.
enum DurableFiles {
    struct IOError: Error, CustomStringConvertible {
        let operation: String
        let path: String
        let code: Int32
        var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
    }

    static func check(_ result: Int32, _ operation: String, _ path: String) throws {
        if result != 0 { throw IOError(operation: operation, path: path, code: errno) }
    }

    static func makeDirectory(_ path: String) throws {
        var partial = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            partial += "/" + component
            if mkdir(partial, 0o700) != 0 && errno != EEXIST { throw IOError(operation: "mkdir", path: partial, code: errno) }
        }
    }

    /// Writes all of `bytes`, at file offset `at` when given (pwrite), else at the descriptor's offset.
    static func writeAll(fd: Int32, _ bytes: UnsafeRawBufferPointer, at position: off_t? = nil, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return }
            let n = position.map { pwrite(fd, base + offset, bytes.count - offset, $0 + off_t(offset)) } ?? write(fd, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw IOError(operation: "write", path: path, code: errno)
            }
            offset += n
        }
    }

    static func fsyncPath(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw IOError(operation: "open", path: path, code: errno) }
        defer { close(fd) }
        try check(fsync(fd), "fsync", path)
    }

    /// Creates (or truncates) `path` with `bytes`, no fsync; the caller decides when it must be durable.
    static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw IOError(operation: "open", path: path, code: errno) }
        defer { close(fd) }
        do {
            try bytes.withUnsafeBytes { try writeAll(fd: fd, $0, path: path) }
        } catch {
            unlink(path)
            throw error
        }
    }

    /// Replaces `path` with `bytes` atomically; `durable` adds the fsyncs.
    static func replace(_ path: String, with bytes: [UInt8], durable: Bool) throws {
        let temporary = path + ".tmp"
        try writeFile(temporary, bytes)
        if durable {
            do { try fsyncPath(temporary) } catch {
                unlink(temporary)
                throw error
            }
        }
        try check(rename(temporary, path), "rename", temporary)
        if durable { try fsyncPath(directory(of: path)) }
    }

    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw IOError(operation: "open", path: path, code: errno) }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while out.count < limit {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, min($0.count, limit - out.count)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw IOError(operation: "read", path: path, code: errno)
            }
            if n == 0 { break }
            out += chunk[0..<n]
        }
        return out
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Names in a directory (no "." or "..").
    static func list(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw IOError(operation: "opendir", path: path, code: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}

/// `read(2)`, named apart from `DurableFiles.read`, which shadows it inside the enum.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
