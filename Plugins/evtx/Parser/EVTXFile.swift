#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file cannot be parsed at all (per-record and per-chunk damage is only reported).
public enum EVTXFileError: Error, CustomStringConvertible {
    case unreadable(String, String)
    case notEVTX(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let why): return "cannot read \(path): \(why)"
        case .notEVTX(let why): return "not an EVTX file: \(why)"
        }
    }
}

/// An EVTX file held in memory (a copy it owns; `forEachRecord(in:)` walks borrowed bytes).
public final class EVTXFile {
    public let bytes: [UInt8]
    public let header: EVTXFileHeader

    public init(bytes: [UInt8]) throws {
        header = try bytes.withUnsafeBytes { try EVTXBytes($0).header }
        self.bytes = bytes
    }

    public convenience init(path: String) throws {
        try self.init(bytes: try EVTXFile.read(path))
    }

    /// Reads a whole file with POSIX calls (no Foundation on this path).
    static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw EVTXFileError.unreadable(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw EVTXFileError.unreadable(path, String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw EVTXFileError.unreadable(path, "not a regular file") }
        let size = Int(st.st_size)
        var out = [UInt8](repeating: 0, count: size)
        var got = 0
        let failed: Bool = out.withUnsafeMutableBytes { buf in
            guard let base = buf.baseAddress else { return false }
            while got < size {
                let n = posixRead(fd, base + got, size - got)
                if n < 0 { if errno == EINTR { continue }; return true }
                if n == 0 { break }
                got += n
            }
            return false
        }
        if failed { throw EVTXFileError.unreadable(path, String(cString: strerror(errno))) }
        if got < size { out.removeLast(size - got) }
        return out
    }

    /// Chunks in the file, counting a trailing partial one.
    public var chunkSlots: Int { EVTXBytes.chunkSlots(bytes.count) }

    /// Calls `body` for every record in file order (see `EVTXBytes.forEachRecord`); `body` returns
    /// false to stop. Returns what was parsed and skipped.
    @discardableResult
    public func forEachRecord(threads: Int = 1, _ body: (EventRecord) throws -> Bool) rethrows -> EVTXDiagnostics {
        try bytes.withUnsafeBytes { try EVTXBytes($0, header: header).forEachRecord(threads: threads, body) }
    }

    /// The same walk over bytes the caller owns (a mapped file), without copying them: they need to
    /// stay valid only during the call, since records keep their own copies of their text.
    @discardableResult
    public static func forEachRecord(in bytes: UnsafeRawBufferPointer, threads: Int = 1,
                                     _ body: (EventRecord) throws -> Bool) throws -> EVTXDiagnostics {
        try EVTXBytes(bytes).forEachRecord(threads: threads, body)
    }

    /// All records and the diagnostics.
    public func records() -> ([EventRecord], EVTXDiagnostics) {
        var out = [EventRecord]()
        let d = forEachRecord { out.append($0); return true }
        return (out, d)
    }
}

#if canImport(Glibc)
private let posixRead = Glibc.read
#elseif canImport(Darwin)
private let posixRead = Darwin.read
#endif
