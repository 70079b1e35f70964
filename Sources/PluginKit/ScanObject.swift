import PluginABI

/// A borrowed view of the object being scanned; valid only during the scan call.
public struct ScanObject {
    public let raw: UnsafePointer<thor_object>

    public init(_ raw: UnsafePointer<thor_object>) { self.raw = raw }

    public var kind: thor_object_kind { raw.pointee.kind }
    public var depth: UInt32 { raw.pointee.depth }
    public var path: String { raw.pointee.path.string }
    public var name: String { raw.pointee.name.string }
    public var type: String { raw.pointee.type.string }

    public var typeTags: [String] {
        let o = raw.pointee
        guard let tags = o.type_tags else { return [] }
        return (0..<o.n_type_tags).map { tags[$0].string }
    }

    /// The fields in the order the host sent them.
    public var fields: [(key: String, value: String)] {
        let o = raw.pointee
        guard let kv = o.fields else { return [] }
        return (0..<o.n_fields).map { (kv[$0].key.string, kv[$0].value.string) }
    }

    /// The first field with this key, compared exactly.
    public func field(_ key: String) -> String? {
        let o = raw.pointee
        guard let kv = o.fields else { return nil }
        for i in 0..<o.n_fields where kv[i].key.string == key { return kv[i].value.string }
        return nil
    }

    /// All content bytes when the host mapped them (it does for modules with THOR_CAP_NEEDS_CONTENT).
    public var content: UnsafeRawBufferPointer? {
        guard let reader = raw.pointee.content else { return nil }
        guard let map = reader.pointee.map else { return nil }
        return UnsafeRawBufferPointer(start: map, count: Int(reader.pointee.size))
    }

    public var contentSize: UInt64 { raw.pointee.content?.pointee.size ?? 0 }
}
