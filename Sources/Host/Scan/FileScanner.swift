import CHostSystem
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
        /// Map large files instead of copying them (workers only: see ContentReader).
        var mapLargeFiles = false
        /// Level of the lines about files that cannot be opened or read (Debug with --nofserrors).
        var fileSystemErrors = Level.error
    }

    /// What is read first: enough for the magic types and the modules' first look.
    static let headSize = 64 << 10
    private let reader: ContentReader
    private let settings: Settings
    private let fileTypes: FileTypeSignatures
    private let pipeline: Pipeline
    private let reporter: Reporter
    private let names = OwnerNames()
    let readAhead: ReadAhead

    init(settings: Settings, fileTypes: FileTypeSignatures, pipeline: Pipeline, reporter: Reporter) {
        self.settings = settings
        reader = ContentReader(mapLargeFiles: settings.mapLargeFiles)
        readAhead = ReadAhead(settings: settings)
        self.fileTypes = fileTypes
        self.pipeline = pipeline
        self.reporter = reporter
    }

    /// A file opened for its scan, and what fstat said of it.
    struct OpenFile {
        let fd: Int32
        let info: stat
    }

    /// Opens `work`'s file. A walked path is never followed; an uploaded sample's path is the
    /// service's own, and a memory file is only reachable through its /proc/<pid>/fd link.
    /// O_NOATIME keeps the evidence's access times (and saves an inode update); only the owner or
    /// CAP_FOWNER may ask for it, so EPERM means open without it. -1 with errno on failure.
    static func open(_ work: WorkItem, extraFlags: Int32 = 0) -> Int32 {
        let flags = O_RDONLY | O_CLOEXEC | extraFlags | (work.displayPath == nil ? O_NOFOLLOW : 0)
        return RawPath.withCString(work.path) { path in
            let fd = Glibc.open(path, flags | THOR_O_NOATIME)
            return fd < 0 && errno == EPERM ? Glibc.open(path, flags) : fd
        }
    }

    /// Scans `work`; `opened` is its file when the read-ahead opened it already (a regular file).
    func scan(_ work: WorkItem, opened: OpenFile? = nil) -> ScanOutcome {
        var outcome = ScanOutcome()
        // A walked name that is not UTF-8 is shown (and matched) with its odd bytes as \xNN.
        let path = work.displayPath ?? RawPath.display(work.path)
        let fd: Int32
        var info: stat
        if let opened {
            (fd, info) = (opened.fd, opened.info)
        } else {
            fd = Self.open(work)
            guard fd >= 0 else {
                // A walked file deleted before its turn (temporary files on a live system) is no
                // error of the scan; a submitted sample that is gone is one.
                if errno == ENOENT && work.displayPath == nil {
                    reporter.message(.info, module: "Filescan", "File vanished before it was scanned", fields: [("FILE", path)])
                } else {
                    reporter.message(settings.fileSystemErrors, module: "Filescan", "Cannot open file", fields: [("FILE", path), ("ERROR", String(cString: strerror(errno)))])
                }
                return outcome
            }
            info = stat()
            guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
                close(fd)
                reporter.message(settings.fileSystemErrors, module: "Filescan", "Not a regular file", fields: [("FILE", path)])
                return outcome
            }
        }
        let size = Int(info.st_size)
        defer {
            close(fd)
            reader.release()
        }
        let item: ScanItem
        var bytesRead = 0
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
            let accepting = pipeline.modulesAccepting(item)
            let typedReader = accepting.contains { $0.isTypeBound && $0.needsContent }
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
            if wanted { bytesRead = try read(item, fd: fd, headCount: head.count, size: size, accepting: accepting) }
        } catch {
            reporter.message(settings.fileSystemErrors, module: "Filescan", "Cannot read file", fields: [("FILE", path), ("ERROR", "\(error)")])
            return outcome
        }
        outcome.examined = true
        outcome.bytes = bytesRead
        let reportedBefore = work.displayPath == nil ? 0 : reportedObjects
        pipeline.process(item, excluding: Set(work.excludedModules))
        if work.displayPath != nil && reportedObjects > reportedBefore {
            // While the bytes are still there: the digests may have waited for a finding.
            item.completeDeferredFields()
            outcome.sampleFields = item.fields.filter { Self.sampleFieldKeys.contains($0.key) }
        }
        item.content = nil
        item.deferredFields = nil
        return outcome
    }

    static let sampleFieldKeys: Set<String> = ["md5", "sha1", "sha256", "filetype"]

    /// Objects reported so far (Alerts, Warnings and Notices count them).
    private var reportedObjects: Int {
        let counts = reporter.currentCounts
        return counts.alerts + counts.warnings + counts.notices
    }

    /// Reads and hashes a file's content: kept for the modules when any module reads bytes (a
    /// tag added later may still bring one in), streamed otherwise. The digests wait until the
    /// object has findings when every module that accepts it says it does not read them (a scan
    /// without modules hashes: that is what it is for). Returns the bytes read.
    private func read(_ item: ScanItem, fd: Int32, headCount: Int, size: Int, accepting: [LoadedModule]) throws -> Int {
        let hashNow = accepting.isEmpty || accepting.contains { $0.needsHashes }
        if pipeline.modules.contains(where: { $0.needsContent }) {
            let (bytes, digests) = try reader.readContent(fd: fd, headCount: headCount, size: size, hash: hashNow)
            item.content = bytes
            if let digests {
                item.fields += digests.fields
            } else {
                item.deferredFields = { [reader] in reader.hasher.digests(of: bytes).fields }
            }
            return bytes.count
        }
        if hashNow {
            let (count, digests) = try reader.hashStream(fd: fd, headCount: headCount, size: size)
            item.fields += digests.fields
            return count
        }
        item.deferredFields = { [reader, reporter, level = settings.fileSystemErrors] in
            do {
                return try reader.hashStream(fd: fd, headCount: 0, size: size).digests.fields
            } catch {
                reporter.message(level, module: "Filescan", "Cannot read file", fields: [("FILE", item.path), ("ERROR", "\(error)")])
                return []
            }
        }
        return 0
    }
}
