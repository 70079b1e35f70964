/// Turns the records of one chunk at a time into `EventRecord`s, reusing every buffer: the
/// chunk's tables, the field builder and, when the consumer kept no copy of the previous
/// record, that record's storage.
struct RecordParser: ~Copyable {
    private var tables = ChunkTables()
    private var builder = FieldBuilder()
    private var storage = RecordStorage()

    mutating func startChunk(_ chunk: UnsafeRawBufferPointer) { tables.reset(chunk) }

    /// The record at chunk offset `pos`: header (24 bytes), BinXML, copy of the size (4 bytes).
    mutating func record(_ chunk: UnsafeRawBufferPointer, pos: Int, size: Int, chunkIndex: Int,
                         fileOffset: Int) -> Result<EventRecord, EVTXParseError> {
        defer { tables.endRecord() }
        do {
            builder.reset()
            let ops = try tables.compileStream(from: pos + 24, to: pos + size - 4, &builder.text)
            try builder.run(&tables, template: false, ops, cost: ops.count, slots: 0..<0, nesting: 0)
            if !isKnownUniquelyReferenced(&storage) { storage = RecordStorage() }
            storage.fill(bytes: builder.text.bytes.bytes, spans: builder.fields)
            let written = chunk.le64(pos + 16)
            return .success(EventRecord(recordID: chunk.le64(pos + 8), writtenTime: written,
                                        timeCreated: builder.timeCreated ?? written, chunkIndex: chunkIndex,
                                        fileOffset: fileOffset, shared: tables.strings, storage: storage))
        } catch let e as EVTXParseError {
            return .failure(e)
        } catch {
            return .failure(.invalid("\(error)"))
        }
    }
}

/// A record's own text and its field spans. Records share it only by copying an
/// `EventRecord`; the parser refills it only while no record refers to it.
/// Unchecked exclusivity: writes happen only while the parser holds the sole reference, so
/// the runtime's per-access bookkeeping (a tenth of JSON rendering) guards nothing.
final class RecordStorage: @unchecked Sendable {
    @exclusivity(unchecked) private(set) var bytes: [UInt8] = []
    @exclusivity(unchecked) private(set) var spans: [FieldSpan] = []

    func fill(bytes b: UnsafeRawBufferPointer, spans s: borrowing PODStack<FieldSpan>) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: b.bindMemory(to: UInt8.self))
        spans.removeAll(keepingCapacity: true)
        s.withUnsafeBufferPointer { spans.append(contentsOf: $0) }
    }
}
