import CLibArchive

/// The formats this project does not read itself, through libarchive, from bytes in memory:
/// 7-Zip, RAR (4 and 5) and CAB archives, and bzip2 and xz files (one member, the decompressed
/// data). Every member is read in chunks up to a limit, so a header that lies about a size
/// costs nothing beyond it.
public enum LibArchiveReader {
    public enum Kind: Sendable {
        /// 7-Zip, RAR, RAR5 or CAB: named members.
        case archive
        /// A bzip2 or xz stream: one member.
        case compressedFile
    }

    public enum Member {
        /// A regular file's name and bytes (at most the limit).
        case file(name: String, bytes: [UInt8])
        /// A regular file that was not read, and why.
        case skipped(name: String, reason: String)
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Calls `body` for each regular file until it returns false; throws when the bytes are no
    /// archive of `kind` at all. A damaged archive ends early with `Failure` after the members
    /// before the damage.
    public static func forEachMember(in bytes: UnsafeRawBufferPointer, kind: Kind, limit: Int,
                                     _ body: (Member) -> Bool) throws {
        guard let archive = archive_read_new() else { throw Failure(description: "libarchive could not start") }
        defer { archive_read_free(archive) }
        switch kind {
        case .archive:
            archive_read_support_format_7zip(archive)
            archive_read_support_format_rar(archive)
            archive_read_support_format_rar5(archive)
            archive_read_support_format_cab(archive)
        case .compressedFile:
            archive_read_support_filter_bzip2(archive)
            archive_read_support_filter_xz(archive)
            archive_read_support_format_raw(archive)
        }
        guard archive_read_open_memory(archive, bytes.baseAddress, bytes.count) == ARCHIVE_OK else {
            throw Failure(description: message(archive))
        }
        var entry: OpaquePointer?
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let status = archive_read_next_header(archive, &entry)
            if status == ARCHIVE_EOF { return }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else { throw Failure(description: message(archive)) }
            // The raw format takes any bytes: without a decompressing filter they are no bzip2 or xz file.
            if kind == .compressedFile && archive_filter_code(archive, 0) == ARCHIVE_FILTER_NONE {
                throw Failure(description: "no bzip2 or xz stream")
            }
            // AE_IFREG (a cast macro, not imported): regular files only.
            guard archive_entry_filetype(entry) == 0o100000 else { continue }
            let name = archive_entry_pathname_utf8(entry).map { String(cString: $0) }
                ?? archive_entry_pathname(entry).map { String(cString: $0) } ?? "data"
            if archive_entry_is_encrypted(entry) != 0 {
                guard body(.skipped(name: name, reason: "encrypted")) else { return }
                continue
            }
            if archive_entry_size_is_set(entry) != 0 && archive_entry_size(entry) > Int64(limit) {
                guard body(.skipped(name: name, reason: "larger than \(limit) bytes")) else { return }
                continue
            }
            var data: [UInt8] = []
            var tooLarge = false
            while true {
                let n = chunk.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
                if n == 0 { break }
                guard n > 0 else { throw Failure(description: "\(name): \(message(archive))") }
                guard data.count + n <= limit else {
                    tooLarge = true
                    break
                }
                data += chunk[..<n]
            }
            let member: Member = tooLarge ? .skipped(name: name, reason: "larger than \(limit) bytes") : .file(name: name, bytes: data)
            guard body(member) else { return }
        }
    }

    private static func message(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unreadable"
    }
}
