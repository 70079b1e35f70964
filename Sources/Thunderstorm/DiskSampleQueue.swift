import Foundation

/// `AsyncSampleQueue` in one local directory:
///
///     pending/<id>.sample   the uploaded bytes (renamed in, never copied)
///     pending/<id>.json     its metadata, written last: a sample counts as queued once this exists
///     results/<id>.json     outcome + metadata, at most `resultCacheSize` files (oldest ids evicted)
///     next-id               ids handed out stay below this; reserved in blocks so ids never repeat
///
/// Every step writes a temporary, renames it in and flushes (when `durable`), and answers only
/// after the flush, so a SIGKILL or power loss at any point leaves each answered sample fully
/// queued. Enqueues and results that arrive together share the flushes (`GroupCommit`).
///
/// Samples, records and results take new names, flushed once after their renames: a crash before
/// that flush leaves at worst a torn file of a sample whose id was never given out (its record
/// does not decode: dropped; its bytes do not: scanned under that unknown id, harmlessly), or a
/// torn result of a sample still pending (dropped on reopening; the sample is scanned again).
/// `next-id` replaces itself, so it is flushed before its rename: a torn counter could give an id
/// out twice.
public actor DiskSampleQueue: AsyncSampleQueue {
    private struct PendingRecord: Codable {
        var id: Int64
        var submission: QueuedSample.Submission
    }

    private struct ResultRecord: Codable {
        var id: Int64
        var outcome: AsyncOutcome
        var submission: QueuedSample.Submission
    }

    static let idBlock: Int64 = 1024
    /// Result and metadata files are small; a larger one is damaged or not ours.
    static let maxRecordBytes = 16 << 20

    private let pendingDirectory: String
    private let resultsDirectory: String
    private let counterPath: String
    private let resultCacheSize: Int
    private let durable: Bool
    private let committer: GroupCommit

    private var nextID: Int64 = 1
    private var reservedID: Int64 = 1
    /// The counter write in flight: enqueues that arrive meanwhile wait for it, not write another.
    private var reserving: Task<Int64, any Error>?
    private var queue: [QueuedSample] = []
    private var queueHead = 0
    private var scanning: [Int64: QueuedSample] = [:]
    private var resultIDs: [Int64] = []
    private var resultSet: Set<Int64> = []
    private var waiters: [CheckedContinuation<QueuedSample, Never>] = []

    /// Opens (or creates) the queue in `directory` and re-queues everything not yet finished.
    public init(directory: String, resultCacheSize: Int, durable: Bool = true) throws {
        pendingDirectory = directory + "/pending"
        resultsDirectory = directory + "/results"
        counterPath = directory + "/next-id"
        self.resultCacheSize = max(0, resultCacheSize)
        self.durable = durable
        committer = GroupCommit(durable: durable)
        try DurableFiles.makeDirectory(pendingDirectory)
        try DurableFiles.makeDirectory(resultsDirectory)

        var highest: Int64 = 0
        let decoder = JSONDecoder()
        let pendingNames = Set(try DurableFiles.list(pendingDirectory))
        var recovered: [QueuedSample] = []
        for name in pendingNames where name.hasSuffix(".json") {
            let base = String(name.dropLast(5))
            let samplePath = pendingDirectory + "/" + base + ".sample"
            guard pendingNames.contains(base + ".sample") else { continue }
            guard let record = try? decoder.decode(PendingRecord.self, from: Data(DurableFiles.read(pendingDirectory + "/" + name, limit: Self.maxRecordBytes)))
            else {
                // Never answered: its id is only given out once the record is durable.
                unlink(pendingDirectory + "/" + name)
                unlink(samplePath)
                continue
            }
            recovered.append(QueuedSample(id: record.id, submission: record.submission, path: samplePath))
            highest = max(highest, record.id)
        }
        // Leftovers of an interrupted enqueue (a sample without metadata, temporaries) were never answered.
        for name in pendingNames {
            let base = name.split(separator: ".").first.map(String.init) ?? name
            let answered = pendingNames.contains(base + ".json") && pendingNames.contains(base + ".sample")
            if !answered || name.hasSuffix(".tmp") { unlink(pendingDirectory + "/" + name) }
        }
        queue = recovered.sorted { $0.id < $1.id }

        let pendingIDs = Set(recovered.map(\.id))
        for name in try DurableFiles.list(resultsDirectory) {
            // A result of a sample still pending may be torn (its flush never came): scanned again.
            guard name.hasSuffix(".json"), let id = Int64(name.dropLast(5)), !pendingIDs.contains(id) else {
                unlink(resultsDirectory + "/" + name)
                continue
            }
            resultIDs.append(id)
            highest = max(highest, id)
        }
        resultIDs.sort()
        resultSet = Set(resultIDs)

        let stored = (try? DurableFiles.read(counterPath, limit: 64)).flatMap { Int64(String(decoding: $0, as: UTF8.self)) } ?? 1
        nextID = max(stored, highest + 1)
        reservedID = nextID
    }

    public func enqueue(stagedPath: String, sample: QueuedSample.Submission) async throws -> Int64 {
        let id = try await takeID()
        let samplePath = "\(pendingDirectory)/\(id).sample"
        let recordPath = "\(pendingDirectory)/\(id).json"
        let record = Array(try JSONEncoder().encode(PendingRecord(id: id, submission: sample)))
        let directory = pendingDirectory
        do {
            try await committer.commit {
                try DurableFiles.writeFile(recordPath + ".tmp", record)
                return GroupCommit.Dirty(renames: [(stagedPath, samplePath), (recordPath + ".tmp", recordPath)],
                                         created: [samplePath, recordPath], directories: [directory])
            }
        } catch {
            for path in [recordPath + ".tmp", recordPath, samplePath] { unlink(path) }
            throw error
        }
        let queued = QueuedSample(id: id, submission: sample, path: samplePath)
        if waiters.isEmpty {
            queue.append(queued)
        } else {
            scanning[id] = queued
            waiters.removeFirst().resume(returning: queued)
        }
        return id
    }

    public func next() async throws -> QueuedSample {
        if queueHead < queue.count {
            let sample = queue[queueHead]
            queueHead += 1
            if queueHead > 1024 && queueHead * 2 > queue.count {
                queue.removeFirst(queueHead)
                queueHead = 0
            }
            scanning[sample.id] = sample
            return sample
        }
        return await withCheckedContinuation { waiters.append($0) }
    }

    public func complete(id: Int64, outcome: AsyncOutcome) async throws {
        // Stays "being scanned" until its result is durable, so a poll in between never gets 400.
        guard let sample = scanning[id] else { return }
        if resultCacheSize > 0 {
            let record = Array(try JSONEncoder().encode(ResultRecord(id: id, outcome: outcome, submission: sample.submission)))
            let path = "\(resultsDirectory)/\(id).json"
            let directory = resultsDirectory
            try await committer.commit {
                try DurableFiles.writeFile(path + ".tmp", record)
                return GroupCommit.Dirty(renames: [(path + ".tmp", path)], created: [path], directories: [directory])
            }
            resultIDs.append(id)
            resultSet.insert(id)
            // Ids finish out of order; keep the list sorted so eviction drops the oldest.
            if let last = resultIDs.dropLast().last, last > id { resultIDs.sort() }
            while resultIDs.count > resultCacheSize {
                let evicted = resultIDs.removeFirst()
                resultSet.remove(evicted)
                unlink("\(resultsDirectory)/\(evicted).json")
            }
        }
        scanning.removeValue(forKey: id)
        // The result is durable before the sample disappears, so a crash in between re-scans, never loses.
        unlink("\(pendingDirectory)/\(id).json")
        unlink(sample.path)
    }

    public func state(of id: Int64) async throws -> AsyncSampleState? {
        if scanning[id] != nil { return .scanning }
        if resultSet.contains(id) {
            let bytes = try DurableFiles.read("\(resultsDirectory)/\(id).json", limit: Self.maxRecordBytes)
            let record = try JSONDecoder().decode(ResultRecord.self, from: Data(bytes))
            return .finished(record.outcome, record.submission)
        }
        if queue[queueHead...].contains(where: { $0.id == id }) { return .queued }
        return nil
    }

    public func pendingCount() async -> Int {
        queue.count - queueHead + scanning.count
    }

    /// The next id. Ids are reserved a block at a time in `next-id`, written through the group
    /// commit like everything else, so no fsync runs on this actor's thread. The actor is
    /// re-entered while the write waits: whoever comes then waits for that same write.
    private func takeID() async throws -> Int64 {
        while nextID >= reservedID {
            let write = reserving ?? reserve(upTo: nextID + Self.idBlock)
            reserving = write
            // Whoever resumes first records the block; a failed write is every waiter's error.
            let block: Int64
            do { block = try await write.value } catch {
                if reserving == write { reserving = nil }
                throw error
            }
            if reserving == write { reserving = nil }
            reservedID = max(reservedID, block)
        }
        defer { nextID += 1 }
        return nextID
    }

    /// Writes `block` to `next-id` durably; returns it.
    private func reserve(upTo block: Int64) -> Task<Int64, any Error> {
        let (path, directory, bytes) = (counterPath, DurableFiles.directory(of: counterPath), Array(String(block).utf8))
        return Task { [committer] in
            try await committer.commit {
                try DurableFiles.writeFile(path + ".tmp", bytes)
                return GroupCommit.Dirty(replacing: [path + ".tmp"], renames: [(path + ".tmp", path)], directories: [directory])
            }
            return block
        }
    }
}
