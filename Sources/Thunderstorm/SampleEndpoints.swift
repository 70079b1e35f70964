import HTTPTypes
import Hummingbird
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// /api/check, /api/checkAsync, /api/getAsyncResults and the async scan loop.
extension ThunderstormService {
    func check(request: Request, query: QueryParameters, remote: String?) async -> Response {
        let requestStart = ServiceStats.now()
        stats.recordSyncRequest()
        let upload: ReceivedUpload
        switch await receive(request, inMemory: true) {
        case .success(let received): upload = received
        case .failure(let refusal): return refusal.response
        }
        defer { upload.file.discard() }
        let uploaded = ServiceStats.now()

        let acquisition = await scheduler.acquireSync()
        guard acquisition != .refused else {
            stats.recordDenied()
            return ThunderstormResponder.error(
                .serviceUnavailable, "Too many simultaneous requests, retry later",
                headers: [.retryAfter: String(await retryAfterSeconds())])
        }
        let started = ServiceStats.now()
        if acquisition == .afterWait { stats.recordQuotaWait(seconds: started - uploaded) }
        let source = await self.source(query, remote)
        let sample = SubmittedSample(path: upload.file.path, fileName: upload.fileName, source: source, size: upload.size, id: nil)
        let result: Result<SampleVerdict, any Error>
        do {
            result = .success(try await scanner.scan(sample))
        } catch {
            result = .failure(error)
        }
        scheduler.release(.sync)
        let finished = ServiceStats.now()
        stats.recordScan(scanSeconds: finished - started, totalSeconds: finished - requestStart, waitSeconds: started - uploaded)

        switch result {
        case .success(let verdict):
            store.keep(verdict: verdict, fileName: upload.fileName, source: source) { upload.file.keep(as: $0) }
            let rendered = FindingRenderer.findings(
                verdict, sample: .init(fileName: upload.fileName, size: upload.size, firstBytes: upload.firstBytes, id: nil))
            return ThunderstormResponder.json(rendered, pretty: query.pretty)
        case .failure(let error):
            logger.error("scan of \(upload.fileName) from \(source) failed: \(error)")
            return ThunderstormResponder.error(.internalServerError, "the scan failed: \(error)")
        }
    }

    func checkAsync(request: Request, query: QueryParameters, remote: String?) async -> Response {
        let upload: ReceivedUpload
        switch await receive(request, inMemory: false) {
        case .success(let received): upload = received
        case .failure(let refusal): return refusal.response
        }
        let submission = QueuedSample.Submission(
            fileName: upload.fileName, source: await source(query, remote), size: upload.size,
            firstBytes: upload.firstBytes, receivedAt: ServiceStats.now())
        do {
            let id = try await queue.enqueue(stagedPath: upload.file.path, sample: submission)
            stats.recordQueueLength(await queue.pendingCount())
            return ThunderstormResponder.json(.object([("id", .int(id))]), pretty: query.pretty)
        } catch {
            upload.file.discard()
            logger.error("cannot queue \(upload.fileName): \(error)")
            return ThunderstormResponder.error(.internalServerError, "the sample could not be queued: \(error)")
        }
    }

    func asyncResult(query: QueryParameters) async -> Response {
        guard let text = query["id"], !text.isEmpty else {
            return ThunderstormResponder.error(.badRequest, "Invalid parameters - no ID specified")
        }
        guard let id = Int64(text) else {
            return ThunderstormResponder.error(.badRequest, "Invalid parameters - ID is no integer")
        }
        let state: AsyncSampleState?
        do {
            state = try await queue.state(of: id)
        } catch {
            return ThunderstormResponder.error(.internalServerError, "cannot read the result of \(id): \(error)")
        }
        guard let state else {
            return ThunderstormResponder.error(.badRequest, "Invalid sample ID - not present in cache")
        }
        var body: [(String, JSONValue)] = [("status", .string(state.statusText))]
        if case .finished(.complete(let verdict), let submission) = state {
            let sample = FindingRenderer.Sample(
                fileName: submission.fileName, size: submission.size, firstBytes: submission.firstBytes, id: id)
            body.append(("result", FindingRenderer.findings(verdict, sample: sample)))
        }
        return ThunderstormResponder.json(.object(body), pretty: query.pretty)
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
                await self.scanQueued(sample)
                self.scheduler.release(.async)
            }
        }
    }

    private func scanQueued(_ sample: QueuedSample) async {
        let started = ServiceStats.now()
        let submission = sample.submission
        let outcome: AsyncOutcome
        do {
            let verdict = try await scanner.scan(SubmittedSample(
                path: sample.path, fileName: submission.fileName, source: submission.source,
                size: submission.size, id: sample.id))
            store.keep(verdict: verdict, fileName: submission.fileName, source: submission.source) { rename(sample.path, $0) == 0 }
            outcome = .complete(verdict)
        } catch {
            logger.error("scan of queued sample \(sample.id) (\(submission.fileName)) failed: \(error)")
            outcome = .failed(String(describing: error))
        }
        do {
            try await queue.complete(id: sample.id, outcome: outcome)
        } catch {
            logger.error("cannot record the result of sample \(sample.id): \(error)")
        }
        let finished = ServiceStats.now()
        stats.recordScan(
            scanSeconds: finished - started, totalSeconds: finished - submission.receivedAt,
            waitSeconds: started - submission.receivedAt)
        stats.recordQueueLength(await queue.pendingCount())
    }

    /// An upload refusal and the answer it gets; the connection closes because the body may be unread.
    struct Refusal: Error {
        let response: Response
    }

    /// `inMemory`: the sample may live in a memory file (it is scanned and dropped within the request).
    private func receive(_ request: Request, inMemory: Bool) async -> Result<ReceivedUpload, Refusal> {
        let close: HTTPFields = [.connection: "close"]
        let limit = options.maxUploadBytes
        if let declared = request.headers[.contentLength].flatMap({ Int64($0) }), declared > limit + 64 * 1024 {
            return .failure(Refusal(response: ThunderstormResponder.error(
                .contentTooLarge, "the upload of \(declared) bytes exceeds the limit of \(limit) bytes", headers: close)))
        }
        do {
            return .success(try await receiver.receive(body: request.body, contentType: request.headers[.contentType], inMemory: inMemory))
        } catch UploadError.badRequest(let message) {
            return .failure(Refusal(response: ThunderstormResponder.error(.badRequest, message, headers: close)))
        } catch UploadError.tooLarge(let max) {
            return .failure(Refusal(response: ThunderstormResponder.error(
                .contentTooLarge, "the file exceeds the upload limit of \(max) bytes", headers: close)))
        } catch {
            logger.error("upload failed: \(error)")
            return .failure(Refusal(response: ThunderstormResponder.error(.internalServerError, "the upload failed: \(error)", headers: close)))
        }
    }

    /// Whole seconds until a slot is likely free (clients parse an integer, never a date).
    private func retryAfterSeconds() async -> Int {
        let waiting = scheduler.waitingSync
        let estimate = stats.averageScanSeconds * Double(waiting + 1) / Double(options.threads)
        return max(1, Int(estimate.rounded(.up)))
    }

    /// The log host name: `source`, else the client's reverse-DNS name, else its address.
    func source(_ query: QueryParameters, _ remote: String?) async -> String {
        if let source = query["source"], !source.isEmpty { return source }
        guard let remote else { return "unknown" }
        return await clientNames?.name(of: remote) ?? remote
    }
}
