/// An upload request from its head to its answer, whichever reader feeds it its bytes
/// (UploadEndpointHandler over NIO, UploadLane over its own sockets): both open, refuse and hand
/// on uploads the same way.
struct OpenUpload {
    let endpoint: APIRoute.Endpoint
    let query: QueryParameters
    let closeAfter: Bool
    let start: Double
    let session: UploadSession
}

extension ThunderstormService {
    /// How an upload's head was taken.
    enum UploadStart {
        /// Its body goes to the session.
        case receiving(OpenUpload)
        /// Answered at once; the connection closes after the answer (the body is not read).
        case refused(APIAnswer)
    }

    /// Opens the upload a request head announces; `target` is its path and query as sent.
    func beginUpload(_ endpoint: APIRoute.Endpoint, target: String?, contentLength: String?, contentType: String?,
                     connection: String?) -> UploadStart {
        let start = ServiceStats.now()
        if endpoint == .check { stats.recordSyncRequest() }
        let limit = options.maxUploadBytes
        if let declared = contentLength.flatMap({ Int64($0) }), declared > limit + 64 * 1024 {
            return .refused(.error(.contentTooLarge, "the upload of \(declared) bytes exceeds the limit of \(limit) bytes"))
        }
        do {
            let session = try receiver.start(contentType: contentType, inMemory: endpoint == .check)
            return .receiving(OpenUpload(
                endpoint: endpoint, query: QueryParameters.split(target: target).query,
                closeAfter: connection?.lowercased() == "close", start: start, session: session))
        } catch {
            return .refused(refusal(for: error))
        }
    }

    /// Ends the upload's body and hands the sample to the scan or the queue, which call `answer`
    /// once, on any thread. A body that is not a valid upload gives a refusal instead (the session
    /// is discarded; the connection closes after it) and `answer` is not called.
    func finishUpload(_ upload: OpenUpload, remote: String?, answer: @escaping @Sendable (APIAnswer) -> Void) -> APIAnswer? {
        let received: ReceivedUpload
        do {
            received = try upload.session.finish()
        } catch {
            upload.session.discard()
            return refusal(for: error)
        }
        if upload.endpoint == .check {
            check(received, query: upload.query, remote: remote, requestStart: upload.start, answer: answer)
        } else {
            checkAsync(received, query: upload.query, remote: remote, answer: answer)
        }
        return nil
    }

    /// The answer to an upload that cannot go on.
    func refusal(for error: any Error) -> APIAnswer {
        if let refusal = error as? UploadError { return refusal.answer }
        logger.error("upload failed: \(error)")
        return .error(.internalServerError, "the upload failed: \(error)")
    }
}
