import Foundation
import Glibc

/// The fields of a file object that come from its name and its stat data.
enum FileFields {
    static func make(path: String, info: stat, names: OwnerNames) -> [(key: String, value: String)] {
        [
            ("filename", baseName(of: path)),
            ("filepath", directory(of: path)),
            ("extension", fileExtension(of: path)),
            ("size", String(info.st_size)),
            ("owner", names.user(info.st_uid)),
            ("group", names.group(info.st_gid)),
            ("filemode", String(info.st_mode & 0o7777, radix: 8)),
        ]
    }

    // Byte-wise on the UTF-8 view: '/' and '.' are ASCII, and Character-wise search pays for
    // grapheme breaking on every file.
    static func baseName(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    /// The directory without a trailing separator, as THOR's `filepath` external.
    static func directory(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Lower case with the leading dot, "" when the name has none.
    /// Leading dots do not start an extension (".bashrc" and "..x" have none).
    static func fileExtension(of path: String) -> String {
        let name = baseName(of: path).utf8
        guard let first = name.firstIndex(where: { $0 != UInt8(ascii: ".") }),
              let dot = name[first...].lastIndex(of: UInt8(ascii: ".")) else { return "" }
        return String(decoding: name[dot...], as: UTF8.self).lowercased()
    }

    /// The magic type first, then the extension upper-cased without its dot (".evtx" -> "EVTX"), so
    /// that a parser bound to a type also sees files whose header is too damaged to be recognised.
    static func typeTags(magicType: String?, extension ext: String) -> [String] {
        var tags = magicType.map { [$0] } ?? []
        let fromExtension = String(ext.dropFirst()).uppercased()
        if !fromExtension.isEmpty && !tags.contains(fromExtension) { tags.append(fromExtension) }
        return tags
    }

    /// Hex of the first 20 bytes, " / ", and their printable ASCII (THOR's FIRSTBYTES).
    static func firstBytes(_ head: UnsafeRawBufferPointer) -> String {
        let bytes = Array(head.prefix(20))
        let ascii = String(bytes.map { $0 >= 0x20 && $0 < 0x7f ? Character(Unicode.Scalar($0)) : "." })
        return bytes.hexString + " / " + ascii
    }
}

/// A file's times and first bytes, kept raw and formatted only for objects that are reported.
struct FileFacts {
    var modified: timespec
    var accessed: timespec
    var changed: timespec
    var head: [UInt8]

    init(info: stat, head: UnsafeRawBufferPointer) {
        modified = info.st_mtim
        accessed = info.st_atim
        changed = info.st_ctim
        self.head = Array(head.prefix(20))
    }

    func fields(_ style: TimeStyle) -> [(key: String, value: String)] {
        [
            ("firstbytes", head.withUnsafeBytes { FileFields.firstBytes($0) }),
            ("modified", style.fileTimestamp(modified)),
            ("accessed", style.fileTimestamp(accessed)),
            ("changed", style.fileTimestamp(changed)),
        ]
    }
}

/// User and group names by id, looked up once each.
final class OwnerNames {
    private var users: [uid_t: String] = [:]
    private var groups: [gid_t: String] = [:]

    func user(_ id: uid_t) -> String {
        if let name = users[id] { return name }
        let name = getpwuid(id).map { String(cString: $0.pointee.pw_name) } ?? String(id)
        users[id] = name
        return name
    }

    func group(_ id: gid_t) -> String {
        if let name = groups[id] { return name }
        let name = getgrgid(id).map { String(cString: $0.pointee.gr_name) } ?? String(id)
        groups[id] = name
        return name
    }
}
