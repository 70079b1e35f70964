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

/// Streams the one `file` part of a multipart body into an `UploadFile`, chunk by chunk, so the heap
/// stays flat whatever the upload size. Other form fields are read past and ignored.
struct UploadReceiver {
    let directory: String
    let maxBytes: Int64
    /// Largest upload kept in a memory file (Linux) when the caller allows memory; 0 = always disk.
    let memoryLimit: Int64
    /// Memory files of finished samples, emptied for the next ones.
    let memoryFiles: MemoryFilePool

    func receive<Body: AsyncSequence>(body: Body, contentType: String?, inMemory: Bool) async throws -> ReceivedUpload
    where Body.Element == ByteBuffer {
        guard let contentType else { throw UploadError.badRequest("missing Content-Type: expected multipart/form-data with one part named 'file'") }
        let header = HeaderParameters(Array(contentType.utf8))
        guard header.value.hasPrefix("multipart/") else {
            throw UploadError.badRequest("Content-Type \(header.value) is not multipart/form-data; send one part named 'file'")
        }
        guard let boundary = header.parameters["boundary"], var parser = MultipartStreamParser(boundary: boundary) else {
            throw UploadError.badRequest("multipart Content-Type without a usable boundary parameter")
        }

        var file = try UploadFile(directory: directory, memoryLimit: inMemory ? min(memoryLimit, maxBytes) : 0, pool: memoryFiles)
        var keep = false
        defer { if !keep { file.discard() } }

        var fileParts = 0
        var otherNames: [String] = []
        var inFilePart = false
        var fileName = ""
        var size: Int64 = 0
        var firstBytes: [UInt8] = []
        let limit = maxBytes

        let handle: (MultipartStreamParser.Event) throws -> Void = { event in
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

        do {
            for try await chunk in body {
                try parser.feed(chunk, handle)
            }
            try parser.finish()
        } catch let error as MultipartStreamParser.ParseError {
            throw UploadError.badRequest("malformed multipart body (\(error))")
        }
        guard fileParts == 1 else {
            let seen = otherNames.isEmpty ? "no parts" : "parts named " + otherNames.map { "'\($0)'" }.joined(separator: ", ")
            throw UploadError.badRequest("no part named 'file' (\(seen)); send exactly one file part named 'file'")
        }
        file.finishWriting()
        keep = true
        return ReceivedUpload(file: file, fileName: fileName, size: size, firstBytes: firstBytes)
    }
}
