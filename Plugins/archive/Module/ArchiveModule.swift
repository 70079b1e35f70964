import ArchiveFormats
import PluginABI
import PluginKit

/// The archive module: every member of a ZIP (.zip, .jar, .docx, ...), TAR or gzip file (found
/// by magic or extension) becomes a file object `archive.zip|member` with the member's bytes, so
/// that every module scans it as it would a file on disk; a member that is itself an archive is
/// opened in turn (a .tar.gz is a gzip file holding a TAR), as deep as the host's
/// `--max-recursion-depth` allows.
///
/// Nothing is written to disk. A member larger than THOR's file size limit (30 MiB, 200 MiB with
/// --intense) is skipped, and an archive stops yielding members after `archiveLimit` unpacked
/// bytes, whatever its headers claim (zip bombs).
final class ArchiveModule: ScanModule {
    static let descriptor = ModuleDescriptor(
        name: "archive", version: "1.0.0",
        description: "ZIP, TAR and gzip archives: every member becomes a file object (archive.zip|member)",
        author: "thor project",
        objectKinds: [thor_object_kind(THOR_OBJ_FILE)],
        capabilities: UInt32(THOR_CAP_EMITS_CHILDREN | THOR_CAP_NEEDS_CONTENT | THOR_CAP_THREADSAFE),
        typeTags: ["ZIP", "GZIP", "GZ", "TGZ", "TAR", "7ZIP", "7Z", "RAR", "CAB", "BZIP2", "BZ2", "TBZ2", "TBZ", "XZ", "TXZ"])

    let limits: Unpacking.Limits

    init(_ setup: ModuleSetup) throws {
        let intense = setup.flag("intense")
        limits = Unpacking.Limits(member: intense ? 200 << 20 : 30 << 20, archive: intense ? 4 << 30 : 1 << 30)
    }

    func scan(_ object: ScanObject, _ host: ScanHost) throws {
        guard let content = object.content else {
            throw ModuleError.invalid("archive: no content mapped for \(object.path)")
        }
        var unpacking = Unpacking(object: object, host: host, limits: limits)
        let kind: String
        if GZIPFile.isGZIP(content) {
            kind = "gzip file"
            unpacking.gunzip(content)
        } else if let other = Self.libarchiveKind(content) {
            kind = other == .archive ? "archive" : "compressed file"
            try unpacking.libarchive(content, kind: other)
        } else if TARArchive.looksLikeTAR(content) {
            kind = "TAR archive"
            let archive = try TARArchive(content)
            for member in archive.members {
                guard try unpacking.next() else { break }
                unpacking.stored(member.name, UnsafeRawBufferPointer(rebasing: content[member.offset..<(member.offset + member.size)]))
            }
            if let at = archive.damagedAt { unpacking.skipped["damaged from offset \(at)", default: 0] += 1 }
        } else {
            kind = "ZIP archive"
            let archive: ZIPArchive
            do { archive = try ZIPArchive(content) } catch {
                throw ModuleError.corrupt("ZIP: \(object.path): \(error)")
            }
            for entry in archive.entries where !entry.isDirectory {
                guard try unpacking.next() else { break }
                if let why = ZIPArchive.unreadable(entry) {
                    unpacking.skipped[why, default: 0] += 1
                } else if let stored = try? archive.storedBytes(of: entry) {
                    if entry.method == 0 { unpacking.stored(entry.name, stored) } else { unpacking.inflate(entry.name, stored, format: .raw, expected: entry.size) }
                } else {
                    unpacking.skipped["damaged", default: 0] += 1
                }
            }
        }
        // Every .jar and .docx is an archive: a line each only when something was left out.
        host.log(unpacking.isComplete ? THOR_LOG_DEBUG : THOR_LOG_INFO, "\(kind) \(object.path): " + unpacking.summary)
    }
}

extension ArchiveModule {
    /// 7-Zip, RAR and CAB archives and bzip2 and xz files, by their magic bytes.
    static func libarchiveKind(_ content: UnsafeRawBufferPointer) -> LibArchiveReader.Kind? {
        let head = Array(content.prefix(6))
        let archives: [[UInt8]] = [[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], Array("Rar!\u{1A}\u{07}".utf8), Array("MSCF".utf8)]
        let compressed: [[UInt8]] = [Array("BZh".utf8), [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]]
        if archives.contains(where: { head.starts(with: $0) }) { return .archive }
        if compressed.contains(where: { head.starts(with: $0) }) { return .compressedFile }
        return nil
    }
}

/// One archive's members on their way to the host, within the size limits.
struct Unpacking {
    struct Limits {
        /// Bytes of one member.
        let member: Int
        /// Bytes unpacked from one archive.
        let archive: Int
    }

    let object: ScanObject
    let host: ScanHost
    let limits: Limits
    var scanned = 0
    var unpacked = 0
    var skipped: [String: Int] = [:]
    var stopped: String?

    var isComplete: Bool { skipped.isEmpty && stopped == nil }

    var summary: String {
        var text = "members scanned: \(scanned)"
        for (why, count) in skipped.sorted(by: { $0.key < $1.key }) { text += ", skipped (\(why)): \(count)" }
        if let stopped { text += ", stopped: \(stopped)" }
        return text
    }

    /// False when no more members may follow; throws when the scan is told to stop.
    mutating func next() throws -> Bool {
        if host.shouldAbort { throw ModuleError(THOR_E_ABORTED, "archive: \(object.path): aborted") }
        if stopped == nil && unpacked >= limits.archive { stopped = "\(limits.archive >> 20) MiB unpacked" }
        return stopped == nil
    }

    private var tooLarge: String { "larger than \(limits.member >> 20) MiB" }

    /// A member whose bytes are in the archive as they are.
    mutating func stored(_ name: String, _ bytes: UnsafeRawBufferPointer) {
        guard bytes.count <= limits.member else {
            skipped[tooLarge, default: 0] += 1
            return
        }
        emit(name, Array(bytes))
    }

    mutating func inflate(_ name: String, _ data: UnsafeRawBufferPointer, format: Inflater.Format, expected: Int) {
        let limit = min(limits.member, limits.archive - unpacked)
        guard expected <= limits.member else {
            skipped[tooLarge, default: 0] += 1
            return
        }
        do {
            emit(name, try Inflater.inflate(data, format: format, expected: expected, limit: limit))
        } catch Inflater.Failure.tooLarge {
            skipped[limit == limits.member ? tooLarge : "beyond the archive's \(limits.archive >> 20) MiB", default: 0] += 1
        } catch {
            skipped["damaged", default: 0] += 1
        }
    }

    /// The one file of a gzip file.
    mutating func gunzip(_ content: UnsafeRawBufferPointer) {
        let name = GZIPFile.memberName(content, archiveName: Self.baseName(object.path))
        // The size trailer holds the size modulo 4 GiB: a first guess only.
        let trailer = content.count >= 4 ? Int(content[content.count - 4]) | Int(content[content.count - 3]) << 8
            | Int(content[content.count - 2]) << 16 | Int(content[content.count - 1]) << 24 : 0
        inflate(name, content, format: .gzip, expected: min(trailer, limits.member))
    }

    /// The members libarchive reads; a compressed file's one member is named after the file.
    mutating func libarchive(_ content: UnsafeRawBufferPointer, kind: LibArchiveReader.Kind) throws {
        let single = CompressedName.member(of: Self.baseName(object.path))
        do {
            try LibArchiveReader.forEachMember(in: content, kind: kind, limit: min(limits.member, limits.archive - unpacked)) { member in
                switch member {
                case .file(let name, let bytes): emit(kind == .compressedFile ? single : name, bytes)
                case .skipped(_, let reason): skipped[reason, default: 0] += 1
                }
                return (try? next()) ?? false
            }
        } catch let failure as LibArchiveReader.Failure where scanned + skipped.count > 0 {
            // Members before the damage were scanned.
            skipped["damaged: \(failure)", default: 0] += 1
        } catch let failure as LibArchiveReader.Failure {
            throw ModuleError.corrupt("archive: \(object.path): \(failure)")
        }
        try _ = next()
    }

    private mutating func emit(_ name: String, _ bytes: [UInt8]) {
        unpacked += bytes.count
        var child = ChildObject(kind: thor_object_kind(THOR_OBJ_FILE), path: object.path + "|" + name, name: Self.baseName(name))
        child.content = bytes
        if host.emitChild(child) == THOR_E_LIMIT {
            stopped = "host limit reached"
            return
        }
        scanned += 1
    }

    /// The last element of a name (archives use `/`; some tools write `\`).
    static func baseName(_ name: String) -> String {
        guard let cut = name.utf8.lastIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "|") }) else { return name }
        return String(name[name.utf8.index(after: cut)...])
    }
}

@_cdecl("thor_plugin_entry")
public func thorPluginEntry(_ host: UnsafePointer<thor_host_api>?) -> UnsafePointer<thor_plugin>? {
    PluginExport.entry(ArchiveModule.self, host: host)
}
