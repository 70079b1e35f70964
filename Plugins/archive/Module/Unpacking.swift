import ArchiveFormats
import PluginABI
import PluginKit

/// One archive's members on their way to the host, each within the file size limit. What a walked
/// file may unpack in all, nested archives included, is the host's budget: it refuses a member
/// beyond it, and the walk stops there.
struct Unpacking {
    let object: ScanObject
    let host: ScanHost
    /// Bytes of one member: the scan's file size limit.
    let memberLimit: Int
    var scanned = 0
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
        return stopped == nil
    }

    private var tooLarge: String { "larger than \(Self.size(memberLimit))" }

    /// `30 MiB`, or `1000 bytes` for a limit that is no whole number of MiB.
    static func size(_ bytes: Int) -> String {
        bytes > 0 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }

    /// A member whose bytes are in the archive as they are.
    mutating func stored(_ name: String, _ bytes: UnsafeRawBufferPointer) {
        guard bytes.count <= memberLimit else {
            skipped[tooLarge, default: 0] += 1
            return
        }
        emit(name, Array(bytes))
    }

    mutating func inflate(_ name: String, _ data: UnsafeRawBufferPointer, format: Inflater.Format, expected: Int) {
        guard expected <= memberLimit else {
            skipped[tooLarge, default: 0] += 1
            return
        }
        do {
            emit(name, try Inflater.inflate(data, format: format, expected: expected, limit: memberLimit))
        } catch Inflater.Failure.tooLarge {
            skipped[tooLarge, default: 0] += 1
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
        inflate(name, content, format: .gzip, expected: min(trailer, memberLimit))
    }

    mutating func zip(_ content: UnsafeRawBufferPointer) throws {
        let archive: ZIPArchive
        do { archive = try ZIPArchive(content) } catch {
            throw ModuleError.corrupt("ZIP: \(object.path): \(error)")
        }
        for entry in archive.entries where !entry.isDirectory {
            guard try next() else { break }
            if let why = ZIPArchive.unreadable(entry) {
                skipped[why, default: 0] += 1
            } else if let data = try? archive.storedBytes(of: entry) {
                if entry.method == 0 { stored(entry.name, data) } else { inflate(entry.name, data, format: .raw, expected: entry.size) }
            } else {
                skipped["damaged", default: 0] += 1
            }
        }
    }

    mutating func tar(_ content: UnsafeRawBufferPointer) throws {
        let archive = try TARArchive(content)
        for member in archive.members {
            guard try next() else { break }
            stored(member.name, UnsafeRawBufferPointer(rebasing: content[member.offset..<(member.offset + member.size)]))
        }
        if let at = archive.damagedAt { skipped["damaged from offset \(at)", default: 0] += 1 }
    }

    /// The members libarchive reads; a compressed file's one member is named after the file.
    mutating func libarchive(_ content: UnsafeRawBufferPointer, kind: LibArchiveReader.Kind) throws {
        let single = CompressedName.member(of: Self.baseName(object.path))
        do {
            try LibArchiveReader.forEachMember(in: content, kind: kind, limit: memberLimit) { member in
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
