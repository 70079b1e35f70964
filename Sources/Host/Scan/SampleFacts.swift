import Glibc

/// A sample's own digests and magic type, for an answer built from an object inside it (only its
/// children scored, so no report of the sample carries them): the supervisor reads the upload once
/// more, which happens on that path only. One per thread.
final class SampleFacts {
    private let reader = ContentReader(mapLargeFiles: false)
    private let fileTypes: FileTypeSignatures

    init(fileTypes: FileTypeSignatures) {
        self.fileTypes = fileTypes
    }

    /// `md5`, `sha1`, `sha256` and `filetype` as a scan gives them; empty when the file is gone.
    func fields(ofFileAt path: String) -> [(key: String, value: String)] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer {
            close(fd)
            reader.release()
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return [] }
        let size = Int(info.st_size)
        do {
            let head = try reader.readHead(fd: fd, count: min(size, FileScanner.headSize))
            let type = fileTypes.type(of: head) ?? "UNKNOWN"
            let (_, digests) = try reader.hashStream(fd: fd, headCount: head.count, size: size)
            return digests.fields + [("filetype", type)]
        } catch {
            return []
        }
    }
}
