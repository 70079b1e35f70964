import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A finished upload: the file part's bytes (in memory or on disk) plus what the client said about them.
struct ReceivedUpload {
    var file: UploadFile
    var fileName: String
    var size: Int64
    var firstBytes: [UInt8]
}

/// Why an upload was refused; each maps to one HTTP answer.
public enum UploadError: Error, Equatable {
    case badRequest(String)
    case tooLarge(limit: Int64)
}

/// Where uploads go and how large they may be; `start` opens one upload.
struct UploadReceiver {
    let directory: String
    let maxBytes: Int64
    /// Largest upload kept in a memory file (Linux) when the caller allows memory; 0 = always disk.
    let memoryLimit: Int64
    /// Memory files of finished samples, emptied for the next ones.
    let memoryFiles: MemoryFilePool

    /// Checks the request's Content-Type and opens the file the upload streams into.
    /// `inMemory`: the sample may live in a memory file (it is scanned and dropped within the request).
    func start(contentType: String?, inMemory: Bool) throws -> UploadSession {
        guard let contentType else { throw UploadError.badRequest("missing Content-Type: expected multipart/form-data with one part named 'file'") }
        let header = HeaderParameters(Array(contentType.utf8))
        guard header.value.hasPrefix("multipart/") else {
            throw UploadError.badRequest("Content-Type \(header.value) is not multipart/form-data; send one part named 'file'")
        }
        guard let boundary = header.parameters["boundary"], let parser = MultipartStreamParser(boundary: boundary) else {
            throw UploadError.badRequest("multipart Content-Type without a usable boundary parameter")
        }
        let file = try UploadFile(directory: directory, memoryLimit: inMemory ? min(memoryLimit, maxBytes) : 0, pool: memoryFiles)
        return UploadSession(parser: parser, file: file, limit: maxBytes)
    }
}

/// One upload in progress: body chunks are fed as they arrive and the one `file` part streams into
/// an `UploadFile`, so the heap stays flat whatever the upload size. Other form fields are read past
/// and ignored. The owner calls `finish` at the end of the body, or `discard` when it gives up.
/// A class: the parser's callback updates the session while the parser runs.
final class UploadSession {
    private var parser: MultipartStreamParser
    private var file: UploadFile
    private let limit: Int64
    private var fileParts = 0
    private var otherNames: [String] = []
    private var inFilePart = false
    private var fileName = ""
    private var size: Int64 = 0
    private var firstBytes: [UInt8] = []

    fileprivate init(parser: MultipartStreamParser, file: UploadFile, limit: Int64) {
        self.parser = parser
        self.file = file
        self.limit = limit
    }

    func feed(_ chunk: ByteBuffer) throws {
        try chunk.withUnsafeReadableBytes { try feed($0) }
    }

    func feed(_ bytes: UnsafeRawBufferPointer) throws {
        do {
            try parser.feed(bytes) { try handle($0) }
        } catch let error as MultipartStreamParser.ParseError {
            throw UploadError.badRequest("malformed multipart body (\(error))")
        }
    }

    /// The upload, once the body ended with exactly one `file` part; the session must not be used after.
    func finish() throws -> ReceivedUpload {
        do {
            try parser.finish()
        } catch let error as MultipartStreamParser.ParseError {
            throw UploadError.badRequest("malformed multipart body (\(error))")
        }
        guard fileParts == 1 else {
            let seen = otherNames.isEmpty ? "no parts" : "parts named " + otherNames.map { "'\($0)'" }.joined(separator: ", ")
            throw UploadError.badRequest("no part named 'file' (\(seen)); send exactly one file part named 'file'")
        }
        try file.finishWriting()
        return ReceivedUpload(file: file, fileName: fileName, size: size, firstBytes: firstBytes)
    }

    /// Drops what was received (a refused or abandoned upload).
    func discard() {
        file.discard()
    }

    private func handle(_ event: MultipartStreamParser.Event) throws {
        switch event {
        case .partStart(let headers):
            inFilePart = headers.name == "file"
            if inFilePart {
                fileParts += 1
                guard fileParts == 1 else { throw UploadError.badRequest("more than one part named 'file'; send exactly one file per request") }
                fileName = headers.fileName ?? ""
            } else if otherNames.count < 8 {
                otherNames.append(headers.name ?? "")
            }
        case .body(let slice):
            guard inFilePart else { return }
            size += Int64(slice.readableBytes)
            guard size <= limit else { throw UploadError.tooLarge(limit: limit) }
            if firstBytes.count < 20 { firstBytes += slice.readableBytesView.prefix(20 - firstBytes.count) }
            try slice.withUnsafeReadableBytes { try file.append($0) }
        case .partEnd:
            inFilePart = false
        case .end:
            break
        }
    }
}
