import PluginABI

/// What the host knows how to add to a file a module unpacked (an archive member): the fields of
/// a file object (`filename`, `filepath`, `extension`, `size`, `filetype`, and what it came out
/// of: `unpack_parent`, `unpack_source`), its magic type and type tags, and its digests, computed
/// only when a module or a finding needs them, as for walked files.
/// What the module set itself stays.
struct MemberFiles: Sendable {
    let fileTypes: FileTypeSignatures

    /// Completes `item`, whose content is `bytes` (alive while the item is processed).
    func complete(_ item: ScanItem, bytes: UnsafeRawBufferPointer) {
        guard item.kind == THOR_OBJ_FILE else { return }
        let has = Set(item.fields.map(\.key))
        let magicType = fileTypes.type(of: UnsafeRawBufferPointer(rebasing: bytes.prefix(4096)))
        let ext = FileFields.fileExtension(of: item.name)
        var added: [(key: String, value: String)] = [
            ("filename", item.name), ("filepath", Self.container(of: item.path)), ("extension", ext),
            ("size", String(bytes.count)), ("filetype", magicType ?? "UNKNOWN"),
        ]
        if let parent = item.parent {
            // THOR's unpack_parent / unpack_source: the container's type, and the chain of them.
            let type = parent.field("filetype") ?? "UNKNOWN"
            added.append(("unpack_parent", type))
            added.append(("unpack_source", parent.field("unpack_source").map { $0 + ">" + type } ?? type))
        }
        added.removeAll { has.contains($0.key) }
        item.fields += added
        for tag in FileFields.typeTags(magicType: magicType, extension: ext) { item.addTypeTag(tag) }
        if !has.contains("md5") {
            item.deferredFields = { Hasher().digests(of: bytes).fields }
        }
    }

    /// The folder or archive a member is in: its path up to the last `/` or `|`
    /// (`/data/a.zip|docs/x.doc` is in `/data/a.zip|docs`, `/data/a.zip|x.doc` in `/data/a.zip`).
    static func container(of path: String) -> String {
        guard let cut = path.utf8.lastIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "|") }) else { return "" }
        return String(path[..<cut])
    }
}
