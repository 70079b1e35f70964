import PluginABI

/// An object travelling through the pipeline: a walked file, an uploaded sample, or a child that a
/// module emitted (an event of a log, a member of an archive).
public final class ScanItem {
    public let kind: thor_object_kind
    public let path: String
    public let name: String
    public private(set) var type: String
    public private(set) var typeTags: [String]
    public var fields: [(key: String, value: String)]
    /// Borrowed bytes, valid while the item is being scanned.
    public var content: UnsafeRawBufferPointer?
    public let depth: Int
    /// The item a module emitted this one from; nil for a walked file or a submitted sample.
    public let parent: ScanItem?
    /// What only the logs need about a file (times, first bytes), formatted when it is reported.
    var fileFacts: FileFacts?
    /// Fields computed only when something needs them: the digests of a file whose modules all
    /// said they do not read them, wanted again when it has findings or meets a module that does.
    var deferredFields: (() -> [(key: String, value: String)])?

    public init(kind: thor_object_kind, path: String, name: String, type: String = "",
                typeTags: [String] = [], fields: [(key: String, value: String)] = [],
                content: UnsafeRawBufferPointer? = nil, depth: Int = 0, parent: ScanItem? = nil) {
        self.kind = kind
        self.path = path
        self.name = name
        self.type = type
        self.typeTags = typeTags
        self.fields = fields
        self.content = content
        self.depth = depth
        self.parent = parent
    }

    public func field(_ key: String) -> String? { fields.first { $0.key == key }?.value }

    /// Computes the deferred fields, once.
    func completeDeferredFields() {
        guard let compute = deferredFields else { return }
        deferredFields = nil
        fields += compute()
    }

    /// Returns true when the tag is new.
    @discardableResult
    func addTypeTag(_ tag: String) -> Bool {
        guard !typeTags.contains(tag) else { return false }
        typeTags.append(tag)
        if type.isEmpty { type = tag }
        return true
    }
}
