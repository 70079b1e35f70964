import PluginABI
import PluginKit

/// Builds the borrowed `thor_object` view of a ScanItem for one module call.
enum ObjectBridge {
    static func withObject<R>(_ item: ScanItem, _ body: (UnsafePointer<thor_object>) -> R) -> R {
        let arena = StringArena()
        let fields = item.fields.map { thor_kv(key: arena.str($0.key), value: arena.str($0.value)) }
        let tags = item.typeTags.map { arena.str($0) }
        var reader = thor_reader(struct_size: UInt32(MemoryLayout<thor_reader>.size),
                                 size: UInt64(item.content?.count ?? 0),
                                 map: item.content?.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                 read_at: nil, rctx: nil)
        return withUnsafePointer(to: &reader) { readerPointer in
            var object = thor_object(
                struct_size: UInt32(MemoryLayout<thor_object>.size), kind: item.kind, depth: UInt32(item.depth),
                path: arena.str(item.path), name: arena.str(item.name), type: arena.str(item.type),
                type_tags: arena.array(tags), n_type_tags: tags.count,
                fields: arena.array(fields), n_fields: fields.count,
                content: item.content == nil ? nil : readerPointer)
            return withExtendedLifetime(arena) { withUnsafePointer(to: &object) { body($0) } }
        }
    }

    /// Copies a child object a module emitted into a host-owned item (bytes stay in `storage`).
    static func copyChild(_ child: thor_object, parent: ScanItem, storage: inout [UInt8]) -> ScanItem {
        var fields: [(key: String, value: String)] = []
        if let kv = child.fields {
            fields.reserveCapacity(child.n_fields)
            for i in 0..<child.n_fields { fields.append((kv[i].key.string, kv[i].value.string)) }
        }
        var tags: [String] = []
        if let t = child.type_tags { for i in 0..<child.n_type_tags { tags.append(t[i].string) } }
        let type = child.type.string
        if !type.isEmpty && !tags.contains(type) { tags.insert(type, at: 0) }
        if let reader = child.content?.pointee, let map = reader.map, reader.size > 0 {
            storage = Array(UnsafeBufferPointer(start: map, count: Int(reader.size)))
        }
        let path = child.path.len > 0 ? child.path.string : parent.path
        return ScanItem(kind: child.kind, path: path, name: child.name.string, type: type, typeTags: tags,
                        fields: fields, content: nil, depth: parent.depth + 1, parent: parent)
    }
}
