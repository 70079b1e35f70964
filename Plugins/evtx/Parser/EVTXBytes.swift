import Dispatch

/// The bytes of an EVTX file, borrowed (an array's storage or a mapped file), with the header
/// checked: the walk over chunks and records. Every 64 KiB chunk after the file header is visited,
/// not only the count the header claims; damaged chunks and records are skipped with a reason.
/// Holds a pointer: use it only while the bytes live (records copy what they keep).
struct EVTXBytes {
    let file: UnsafeRawBufferPointer
    let header: EVTXFileHeader

    init(_ file: UnsafeRawBufferPointer) throws {
        guard file.count >= 128 else {
            throw EVTXFileError.notEVTX("\(file.count) bytes, shorter than a file header")
        }
        guard file.hasPrefix(EVTXFileHeader.magic) else { throw EVTXFileError.notEVTX("no ElfFile magic") }
        self.init(file, header: EVTXFileHeader(file))
    }

    /// Bytes whose header was read before.
    init(_ file: UnsafeRawBufferPointer, header: EVTXFileHeader) {
        self.file = file
        self.header = header
    }

    /// Chunks in the file, counting a trailing partial one.
    static func chunkSlots(_ count: Int) -> Int {
        count <= EVTXFileHeader.size ? 0 : (count - EVTXFileHeader.size + ChunkHeader.chunkSize - 1) / ChunkHeader.chunkSize
    }

    /// Calls `body` for every record in file order (chunk order, then record order);
    /// `body` returns false to stop. Returns what was parsed and skipped.
    /// With `threads` > 1, batches of chunks are parsed concurrently (chunks are independent)
    /// and delivered in file order; `body` still runs on the calling thread only.
    func forEachRecord(threads: Int, _ body: (EventRecord) throws -> Bool) rethrows -> EVTXDiagnostics {
        var diag = EVTXDiagnostics()
        if !header.checksumOK { diag.checksumMismatch(-1, 0, "file header checksum mismatch") }
        let slots = EVTXBytes.chunkSlots(file.count)
        if threads <= 1 {
            var parser = RecordParser()
            for index in 0..<slots where try !visitChunk(index, &parser, &diag, body) { break }
            return diag
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
                        _ = self.visitChunk(next + k, &parser, &d) { recs.append($0); return true }
                        out[k] = (recs, d)
                    }
                }
            }
            for (recs, d) in results {
                diag.merge(d)
                for rec in recs where try !body(rec) { return diag }
            }
            next += n
        }
        return diag
    }

    /// Parses chunk slot `index`; false when parsing should stop (body said so, or the
    /// file ends in a fragment too short to be a chunk).
    private func visitChunk(_ index: Int, _ parser: inout RecordParser,
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
            if EVTXBytes.isAllZero(chunk) {
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
