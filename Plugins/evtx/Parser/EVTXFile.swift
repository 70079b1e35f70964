import Dispatch
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

/// An EVTX file held in memory. Every 64 KiB chunk after the file header is visited, not only
/// the count the header claims; damaged chunks and records are skipped with a reason.
public final class EVTXFile {
    public let bytes: [UInt8]
    public let header: EVTXFileHeader

    public init(bytes: [UInt8]) throws {
        guard bytes.count >= 128 else {
            throw EVTXFileError.notEVTX("\(bytes.count) bytes, shorter than a file header")
        }
        let header: EVTXFileHeader? = bytes.withUnsafeBytes { b in
            b.hasPrefix(EVTXFileHeader.magic) ? EVTXFileHeader(b) : nil
        }
        guard let header else { throw EVTXFileError.notEVTX("no ElfFile magic") }
        self.bytes = bytes
        self.header = header
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
    public var chunkSlots: Int {
        bytes.count <= EVTXFileHeader.size ? 0 : (bytes.count - EVTXFileHeader.size + ChunkHeader.chunkSize - 1) / ChunkHeader.chunkSize
    }

    /// Calls `body` for every record in file order (chunk order, then record order);
    /// `body` returns false to stop. Returns what was parsed and skipped.
    /// With `threads` > 1, batches of chunks are parsed concurrently (chunks are independent)
    /// and delivered in file order; `body` still runs on the calling thread only.
    @discardableResult
    public func forEachRecord(threads: Int = 1, _ body: (EventRecord) throws -> Bool) rethrows -> EVTXDiagnostics {
        var diag = EVTXDiagnostics()
        if !header.checksumOK { diag.checksumMismatch(-1, 0, "file header checksum mismatch") }
        let slots = chunkSlots
        try bytes.withUnsafeBytes { file in
            if threads <= 1 {
                var parser = RecordParser()
                for index in 0..<slots where try !visitChunk(file, index, &parser, &diag, body) { break }
                return
            }
            var next = 0
            while next < slots {
                let n = min(threads * 4, slots - next)
                var results = [([EventRecord], EVTXDiagnostics)](repeating: ([], EVTXDiagnostics()), count: n)
                // One worker per thread, each with one parser for a run of the batch's chunks.
                let workers = min(threads, n), per = (n + workers - 1) / workers
                results.withUnsafeMutableBufferPointer { res in
                    let out = res
                    DispatchQueue.concurrentPerform(iterations: workers) { w in
                        var parser = RecordParser()
                        for k in (w * per)..<min(n, (w + 1) * per) {
                            var d = EVTXDiagnostics()
                            var recs: [EventRecord] = []
                            _ = self.visitChunk(file, next + k, &parser, &d) { recs.append($0); return true }
                            out[k] = (recs, d)
                        }
                    }
                }
                for (recs, d) in results {
                    diag.merge(d)
                    for rec in recs where try !body(rec) { return }
                }
                next += n
            }
        }
        return diag
    }

    /// Parses chunk slot `index`; false when parsing should stop (body said so, or the
    /// file ends in a fragment too short to be a chunk).
    private func visitChunk(_ file: UnsafeRawBufferPointer, _ index: Int, _ parser: inout RecordParser,
                            _ diag: inout EVTXDiagnostics, _ body: (EventRecord) throws -> Bool) rethrows -> Bool {
        let off = EVTXFileHeader.size + index * ChunkHeader.chunkSize
        guard off < file.count else { return false }
        let avail = min(ChunkHeader.chunkSize, file.count - off)
        let chunk = UnsafeRawBufferPointer(rebasing: file[off..<(off + avail)])
        if avail < ChunkHeader.size {
            diag.notes.append("trailing \(avail) bytes after the last chunk ignored")
            return false
        }
        if !chunk.hasPrefix(ChunkHeader.magic) {
            if EVTXFile.isAllZero(chunk) {
                diag.chunksEmpty += 1
            } else {
                diag.skipChunk(index, off, "invalid chunk magic")
            }
            return true
        }
        if avail < ChunkHeader.chunkSize {
            diag.notes.append("chunk \(index) truncated to \(avail) bytes; its complete records are parsed")
        }
        diag.chunksParsed += 1
        if index >= Int(header.chunkCount) { diag.chunksBeyondHeaderCount += 1 }
        return try parseChunk(chunk, index: index, fileOffset: off, &parser, diag: &diag, body)
    }

    /// Whether every byte is zero, a word at a time (unused chunks at the end of a file are).
    static func isAllZero(_ b: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while b.count - i >= 32 {
            let w = b.loadUnaligned(fromByteOffset: i, as: UInt64.self) | b.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                | b.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self) | b.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
            if w != 0 { return false }
            i += 32
        }
        while i < b.count {
            if b[i] != 0 { return false }
            i += 1
        }
        return true
    }

    /// All records and the diagnostics.
    public func records() -> ([EventRecord], EVTXDiagnostics) {
        var out = [EventRecord]()
        let d = forEachRecord { out.append($0); return true }
        return (out, d)
    }

    private func parseChunk(_ chunk: UnsafeRawBufferPointer, index: Int, fileOffset: Int, _ parser: inout RecordParser,
                            diag: inout EVTXDiagnostics, _ body: (EventRecord) throws -> Bool) rethrows -> Bool {
        let h = ChunkHeader(chunk)
        if h.flags & ChunkHeader.noCRC32 == 0 {
            if !h.headerChecksumOK(chunk) { diag.checksumMismatch(index, fileOffset, "chunk header checksum mismatch") }
            if !h.dataChecksumOK(chunk) { diag.checksumMismatch(index, fileOffset, "chunk data checksum mismatch") }
        }
        parser.startChunk(chunk)
        // Records run from the header to the free space offset (clamped to the chunk); the walk
        // stops at the chunk's last record id, at zero padding, or at a broken record header.
        let end = min(Int(h.freeSpaceOffset), chunk.count)
        var pos = ChunkHeader.size
        while pos < end {
            let recOff = fileOffset + pos
            guard chunk.count - pos >= 24 else { break }
            if chunk.le32(pos) != 0x0000_2A2A {
                if chunk.le32(pos) != 0 { diag.skipRecord(index, recOff, "invalid record magic; rest of chunk skipped") }
                break
            }
            let size = Int(chunk.le32(pos + 4))
            guard size >= 28 else {
                diag.skipRecord(index, recOff, "record size \(size) smaller than 28; rest of chunk skipped")
                break
            }
            guard size - 4 <= chunk.count - pos else {
                let past = chunk.count < ChunkHeader.chunkSize ? "the end of the file" : "its chunk"
                diag.skipRecord(index, recOff, "record of \(size) bytes extends past \(past); rest of chunk skipped")
                break
            }
            let recordID = chunk.le64(pos + 8)
            switch parser.record(chunk, pos: pos, size: size, chunkIndex: index, fileOffset: recOff) {
            case .success(let rec):
                diag.recordsParsed += 1
                if try !body(rec) { return false }
            case .failure(let e):
                diag.skipRecord(index, recOff, "record \(recordID): \(e)")
            }
            pos += size
            if recordID == h.lastRecordID { break }
        }
        return true
    }
}

#if canImport(Glibc)
private let posixRead = Glibc.read
#elseif canImport(Darwin)
private let posixRead = Darwin.read
#endif
