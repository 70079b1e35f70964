import ArchiveFormats
import PluginABI
import PluginKit

/// The archive module: every member of a ZIP (.zip, .jar, .docx, ...), TAR, gzip, 7-Zip, RAR, CAB,
/// bzip2 or xz file (found by magic or extension) becomes a file object `archive.zip|member` with
/// the member's bytes, so that every module scans it as it would a file on disk; a member that is
/// itself an archive is opened in turn (a .tar.gz is a gzip file holding a TAR), as deep as the
/// host's `--max-recursion-depth` allows.
///
/// Nothing is written to disk. An archive or member larger than the scan's file size limit
/// (--max_file_size; THOR's 30 MiB, 200 MiB with --intense) is skipped, whatever its headers
/// claim (zip bombs); what one walked file may unpack in all is the host's child size budget.
final class ArchiveModule: ScanModule {
    static let descriptor = ModuleDescriptor(
        name: "archive", version: "1.0.0",
        description: "ZIP, TAR, gzip, 7-Zip, RAR, CAB, bzip2 and xz archives: every member becomes a file object (archive.zip|member)",
        author: "thor project",
        objectKinds: [thor_object_kind(THOR_OBJ_FILE)],
        capabilities: UInt32(THOR_CAP_EMITS_CHILDREN | THOR_CAP_NEEDS_CONTENT | THOR_CAP_THREADSAFE),
        typeTags: ["ZIP", "GZIP", "GZ", "TGZ", "TAR", "7ZIP", "7Z", "RAR", "CAB", "BZIP2", "BZ2", "TBZ2", "TBZ", "XZ", "TXZ"])

    let memberLimit: Int

    init(_ setup: ModuleSetup) throws {
        let intense = setup.flag("intense")
        // The scan's --max_file_size, as the host hands it over; THOR's defaults for an older host.
        memberLimit = setup.option("max-file-size").flatMap { Int($0) }.map { max(0, $0) } ?? (intense ? 200 << 20 : 30 << 20)
    }

    func scan(_ object: ScanObject, _ host: ScanHost) throws {
        guard let content = object.content else {
            throw ModuleError.invalid("archive: no content mapped for \(object.path)")
        }
        // As THOR's ArchiveScan: an archive above the file size limit is not opened.
        guard content.count <= memberLimit else {
            host.log(THOR_LOG_INFO, "archive \(object.path): larger than \(Unpacking.size(memberLimit)), not opened")
            return
        }
        var unpacking = Unpacking(object: object, host: host, memberLimit: memberLimit)
        let kind: String
        if GZIPFile.isGZIP(content) {
            kind = "gzip file"
            unpacking.gunzip(content)
        } else if let other = Self.libarchiveKind(content) {
            kind = other == .archive ? "archive" : "compressed file"
            try unpacking.libarchive(content, kind: other)
        } else if TARArchive.looksLikeTAR(content) {
            kind = "TAR archive"
            try unpacking.tar(content)
        } else {
            kind = "ZIP archive"
            try unpacking.zip(content)
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

@_cdecl("thor_plugin_entry")
public func thorPluginEntry(_ host: UnsafePointer<thor_host_api>?) -> UnsafePointer<thor_plugin>? {
    PluginExport.entry(ArchiveModule.self, host: host)
}
