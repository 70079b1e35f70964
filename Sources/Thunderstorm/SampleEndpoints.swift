import HTTPTypes
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What /api/check, /api/checkAsync and /api/getAsyncResults do, and the async scan loop.
/// (UploadEndpointHandler receives the uploads.)
extension ThunderstormService {
    /// Scans a received /api/check upload and answers with its findings; `answer` is called once,
    /// on any thread. Runs without a task: the slot, the source name and the scan call back.
    func check(_ upload: ReceivedUpload, query: QueryParameters, remote: String?, requestStart: Double,
               answer: @escaping @Sendable (APIAnswer) -> Void) {
        let uploaded = ServiceStats.now()
        scheduler.acquireSync { acquisition in
            guard acquisition != .refused else {
                upload.file.discard()
                self.stats.recordDenied()
                answer(.error(.serviceUnavailable, "Too many simultaneous requests, retry later",
                              headers: [.retryAfter: String(self.retryAfterSeconds())]))
                return
            }
            let times = CheckTimes(request: requestStart, uploaded: uploaded, started: ServiceStats.now())
            if acquisition == .afterWait { self.stats.recordQuotaWait(seconds: times.started - uploaded) }
            self.withSource(query, remote) { source in
                self.scanChecked(upload, source: source, pretty: query.pretty, times: times, answer: answer)
            }
        }
    }

    /// When a /api/check request began, its upload ended and its scan slot was taken.
    private struct CheckTimes {
        let request, uploaded, started: Double
    }

    /// Scans a /api/check sample that holds a slot, gives the slot back and answers.
    private func scanChecked(_ upload: ReceivedUpload, source: String, pretty: Bool, times: CheckTimes,
                             answer: @escaping @Sendable (APIAnswer) -> Void) {
        let sample = SubmittedSample(path: upload.file.path, fileName: upload.fileName, source: source, size: upload.size, id: nil)
        scanner.scan(sample) { result in
            self.scheduler.release(.sync)
            let finished = ServiceStats.now()
            self.stats.recordScan(scanSeconds: finished - times.started, totalSeconds: finished - times.request,
                                  waitSeconds: times.started - times.uploaded)
            let reply: APIAnswer
            switch result {
            case .success(let verdict):
                self.store.keep(verdict: verdict, fileName: upload.fileName, source: source) { upload.file.keep(as: $0) }
                let rendered = FindingRenderer.findings(
                    verdict, sample: .init(fileName: upload.fileName, size: upload.size, firstBytes: upload.firstBytes, id: nil))
                reply = .json(rendered, pretty: pretty)
            case .failure(let error):
                self.logger.error("scan of \(upload.fileName) from \(source) failed: \(error)")
                reply = .error(.internalServerError, "the scan failed: \(error)")
            }
            // Gone before the client hears back: nothing of an answered sample stays behind.
            upload.file.discard()
            answer(reply)
        }
    }

    /// Queues a received /api/checkAsync upload durably and answers with its id; `answer` is
    /// called once, on any thread.
    func checkAsync(_ upload: ReceivedUpload, query: QueryParameters, remote: String?,
                    answer: @escaping @Sendable (APIAnswer) -> Void) {
        withSource(query, remote) { source in
            let submission = QueuedSample.Submission(
                fileName: upload.fileName, source: source, size: upload.size,
                firstBytes: upload.firstBytes, receivedAt: ServiceStats.now())
            Task {
                do {
                    let id = try await self.queue.enqueue(stagedPath: upload.file.path, sample: submission)
                    self.stats.recordQueueLength(await self.queue.pendingCount())
                    answer(.json(.object([("id", .int(id))]), pretty: query.pretty))
                } catch {
                    upload.file.discard()
                    self.logger.error("cannot queue \(upload.fileName): \(error)")
                    answer(.error(.internalServerError, "the sample could not be queued: \(error)"))
                }
            }
        }
    }

    func asyncResult(query: QueryParameters) async -> APIAnswer {
        guard let text = query["id"], !text.isEmpty else {
            return .error(.badRequest, "Invalid parameters - no ID specified")
        }
        guard let id = Int64(text) else {
            return .error(.badRequest, "Invalid parameters - ID is no integer")
        }
        let state: AsyncSampleState?
        do {
            state = try await queue.state(of: id)
        } catch {
            return .error(.internalServerError, "cannot read the result of \(id): \(error)")
        }
        guard let state else {
            return .error(.badRequest, "Invalid sample ID - not present in cache")
        }
        var body: [(String, JSONValue)] = [("status", .string(state.statusText))]
        if case .finished(.complete(let verdict), let submission) = state {
            let sample = FindingRenderer.Sample(
                fileName: submission.fileName, size: submission.size, firstBytes: submission.firstBytes, id: id)
            body.append(("result", FindingRenderer.findings(verdict, sample: sample)))
        }
        return .json(.object(body), pretty: query.pretty)
    }

    /// Takes queued samples one by one and scans each in its own task once an async slot is free.
    func runAsyncWorkers() async {
        while !Task.isCancelled {
            let sample: QueuedSample
            do {
                sample = try await queue.next()
            } catch {
                logger.error("async queue: \(error)")
                try? await Task.sleep(nanoseconds: 1_000_000_000)
                continue
            }
            await scheduler.acquireAsync()
            Task {
                let started = ServiceStats.now()
                let outcome = await self.scanQueued(sample)
                // The slot is for scanning; the result's durable write must not hold a worker idle
                // (until it is written, a restart scans the sample again).
                self.scheduler.release(.async)
                await self.record(outcome, of: sample, scanStarted: started)
            }
        }
    }

    private func scanQueued(_ sample: QueuedSample) async -> AsyncOutcome {
        let submission = sample.submission
        do {
            let verdict = try await scanner.scan(SubmittedSample(
                path: sample.path, fileName: submission.fileName, source: submission.source,
                size: submission.size, id: sample.id))
            store.keep(verdict: verdict, fileName: submission.fileName, source: submission.source) { rename(sample.path, $0) == 0 }
            return .complete(verdict)
        } catch {
            logger.error("scan of queued sample \(sample.id) (\(submission.fileName)) failed: \(error)")
            return .failed(String(describing: error))
        }
    }

    private func record(_ outcome: AsyncOutcome, of sample: QueuedSample, scanStarted started: Double) async {
        do {
            try await queue.complete(id: sample.id, outcome: outcome)
        } catch {
            logger.error("cannot record the result of sample \(sample.id): \(error)")
        }
        let finished = ServiceStats.now()
        let receivedAt = sample.submission.receivedAt
        stats.recordScan(scanSeconds: finished - started, totalSeconds: finished - receivedAt, waitSeconds: started - receivedAt)
        stats.recordQueueLength(await queue.pendingCount())
    }

    /// Whole seconds until a slot is likely free (clients parse an integer, never a date).
    private func retryAfterSeconds() -> Int {
        let waiting = scheduler.waitingSync
        let estimate = stats.averageScanSeconds * Double(waiting + 1) / Double(options.threads)
        return max(1, Int(estimate.rounded(.up)))
    }

    /// The log host name: `source`, else the client's reverse-DNS name, else its address. `body`
    /// is called in place unless a name must be looked up (ClientNames).
    func withSource(_ query: QueryParameters, _ remote: String?, _ body: @escaping @Sendable (String) -> Void) {
        if let source = query["source"], !source.isEmpty { return body(source) }
        guard let remote else { return body("unknown") }
        guard let clientNames else { return body(remote) }
        clientNames.name(of: remote, then: body)
    }
}

extension UploadError {
    /// The answer to a refused upload (the connection is closed after it).
    var answer: APIAnswer {
        switch self {
        case .badRequest(let message):
            return .error(.badRequest, message)
        case .tooLarge(let limit):
            return .error(.contentTooLarge, "the file exceeds the upload limit of \(limit) bytes")
        }
    }
}
