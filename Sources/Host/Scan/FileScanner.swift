import Foundation
import Glibc
import PluginABI

/// Turns a walked file into a scan item: stat fields, magic type, the content gate, one read that
/// hashes and maps the bytes for every module. One per worker thread.
final class FileScanner {
    struct Settings {
        var maxFileSize: Int
        /// `--intense` / `--allfiles`: content of every file, whatever its type.
        var scanAllFiles: Bool
        /// Typed files for parser modules (EVTX, hives) are read up to this size whatever the limit.
        var typedFileLimit = 2 << 30
    }

    private static let headSize = 64 << 10
    private let reader = ContentReader()
    private let settings: Settings
    private let fileTypes: FileTypeSignatures
    private let pipeline: Pipeline
    private let reporter: Reporter
    private let names = OwnerNames()

    init(settings: Settings, fileTypes: FileTypeSignatures, pipeline: Pipeline, reporter: Reporter) {
        self.settings = settings
        self.fileTypes = fileTypes
        self.pipeline = pipeline
        self.reporter = reporter
    }

    func scan(_ work: WorkItem) -> ScanOutcome {
        var outcome = ScanOutcome()
        let path = work.displayPath ?? work.path
        // A walked path is never followed; an uploaded sample's path is the service's own, and a
        // memory file is only reachable through its /proc/<pid>/fd link.
        let fd = open(work.path, O_RDONLY | O_CLOEXEC | (work.displayPath == nil ? O_NOFOLLOW : 0))
        guard fd >= 0 else {
            reporter.error(module: "Filescan", "Cannot open file", fields: [("FILE", path), ("ERROR", String(cString: strerror(errno)))])
            return outcome
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            reporter.error(module: "Filescan", "Not a regular file", fields: [("FILE", path)])
            return outcome
        }
        let size = Int(info.st_size)
        defer {
            close(fd)
            reader.release()
        }
        let item: ScanItem
        do {
            let head = try reader.readHead(fd: fd, count: min(size, Self.headSize))
            let magicType = fileTypes.type(of: head)
            var fields = FileFields.make(path: path, info: info, names: names)
            if let source = work.source { fields.append(("source", source)) }
            let ext = FileFields.fileExtension(of: path)
            fields.append(("filetype", magicType ?? "UNKNOWN"))
            let tags = FileFields.typeTags(magicType: magicType, extension: ext)
            item = ScanItem(kind: THOR_OBJ_FILE, path: path, name: FileFields.baseName(of: path),
                            type: magicType ?? "", typeTags: tags, fields: fields)
            item.fileFacts = FileFacts(info: info, head: head)
            let typedReader = pipeline.modulesAccepting(item).contains { $0.isTypeBound && $0.needsContent }
            let wanted: Bool
            if typedReader && size <= settings.typedFileLimit {
                wanted = true
            } else if !settings.scanAllFiles && !ScanGate.passes(extension: ext, magicType: magicType) {
                outcome.skip = .type
                wanted = false
            } else if size > settings.maxFileSize {
                outcome.skip = .size
                wanted = false
            } else {
                wanted = true
            }
            if wanted {
                let (bytes, digests) = try reader.readRest(fd: fd, headCount: head.count, size: size)
                item.fields.append(("md5", digests.md5.hexString))
                item.fields.append(("sha1", digests.sha1.hexString))
                item.fields.append(("sha256", digests.sha256.hexString))
                item.content = bytes
            }
        } catch {
            reporter.error(module: "Filescan", "Cannot read file", fields: [("FILE", path), ("ERROR", "\(error)")])
            return outcome
        }
        outcome.examined = true
        outcome.bytes = item.content?.count ?? 0
        pipeline.process(item, excluding: Set(work.excludedModules))
        item.content = nil
        return outcome
    }
}
