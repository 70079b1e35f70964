/// What happened while parsing one file: counts, and the reasons for everything skipped.
public struct EVTXDiagnostics: Sendable {
    public struct Problem: Sendable, CustomStringConvertible {
        public let chunk: Int
        public let fileOffset: Int
        public let reason: String
        public var description: String { "chunk \(chunk) @\(fileOffset): \(reason)" }
    }

    /// At most this many problems of each kind are kept; the counters keep counting.
    public static let maxKept = 100

    public internal(set) var recordsParsed = 0
    /// Chunks with a valid header (parsed), all-zero chunks, and chunks skipped.
    public internal(set) var chunksParsed = 0
    public internal(set) var chunksEmpty = 0
    public internal(set) var chunksSkippedCount = 0
    public internal(set) var chunksSkipped: [Problem] = []
    public internal(set) var recordsSkippedCount = 0
    public internal(set) var recordsSkipped: [Problem] = []
    public internal(set) var checksumMismatchCount = 0
    public internal(set) var checksumMismatches: [Problem] = []
    /// Chunks parsed beyond the header's chunk count (dirty or stale header).
    public internal(set) var chunksBeyondHeaderCount = 0
    public internal(set) var notes: [String] = []

    mutating func skipChunk(_ chunk: Int, _ off: Int, _ reason: String) {
        chunksSkippedCount += 1
        if chunksSkipped.count < Self.maxKept { chunksSkipped.append(Problem(chunk: chunk, fileOffset: off, reason: reason)) }
    }

    mutating func skipRecord(_ chunk: Int, _ off: Int, _ reason: String) {
        recordsSkippedCount += 1
        if recordsSkipped.count < Self.maxKept { recordsSkipped.append(Problem(chunk: chunk, fileOffset: off, reason: reason)) }
    }

    mutating func checksumMismatch(_ chunk: Int, _ off: Int, _ reason: String) {
        checksumMismatchCount += 1
        if checksumMismatches.count < Self.maxKept {
            checksumMismatches.append(Problem(chunk: chunk, fileOffset: off, reason: reason))
        }
    }

    /// Adds the diagnostics of a later part of the same file.
    mutating func merge(_ o: EVTXDiagnostics) {
        recordsParsed += o.recordsParsed
        chunksParsed += o.chunksParsed
        chunksEmpty += o.chunksEmpty
        chunksBeyondHeaderCount += o.chunksBeyondHeaderCount
        chunksSkippedCount += o.chunksSkippedCount
        recordsSkippedCount += o.recordsSkippedCount
        checksumMismatchCount += o.checksumMismatchCount
        chunksSkipped += o.chunksSkipped.prefix(Self.maxKept - chunksSkipped.count)
        recordsSkipped += o.recordsSkipped.prefix(Self.maxKept - recordsSkipped.count)
        checksumMismatches += o.checksumMismatches.prefix(Self.maxKept - checksumMismatches.count)
        notes += o.notes
    }

    /// One line for a log: `records: N, chunks: N (+N beyond header, N empty), skipped ...`.
    public var summary: String {
        var s = "records: \(recordsParsed), chunks: \(chunksParsed)"
        if chunksBeyondHeaderCount > 0 { s += " (\(chunksBeyondHeaderCount) recovered beyond the header's chunk count)" }
        if chunksEmpty > 0 { s += ", empty chunks: \(chunksEmpty)" }
        s += ", chunks skipped: \(chunksSkippedCount), records skipped: \(recordsSkippedCount)"
        if checksumMismatchCount > 0 { s += ", checksum mismatches: \(checksumMismatchCount)" }
        let reasons = (chunksSkipped + recordsSkipped).prefix(5).map(\.description)
        if !reasons.isEmpty { s += ", reasons: " + reasons.joined(separator: "; ") }
        if !notes.isEmpty { s += ", notes: " + notes.joined(separator: "; ") }
        return s
    }
}
