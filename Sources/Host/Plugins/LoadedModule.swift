import Foundation
import PluginABI
import PluginKit

/// A module whose library passed every check and whose init succeeded.
public final class LoadedModule: @unchecked Sendable {
    public let name: String
    public let version: String
    public let description: String
    public let path: String
    let descriptor: UnsafePointer<thor_plugin>
    let instance: UnsafeMutableRawPointer?
    let capabilities: UInt32
    let objectKinds: UInt32
    let typeTags: Set<String>
    /// What the module reported with report_version during init.
    public let versions: ComponentVersions
    /// The module called require_hashes during init.
    private let hashesRequired: Bool
    /// Serialises scan calls of modules that are not thread-safe. Recursive: a module may meet its
    /// own children (an archive in an archive) on the same thread, inside its own call.
    private let lock = NSRecursiveLock()

    init(path: String, descriptor: UnsafePointer<thor_plugin>, instance: UnsafeMutableRawPointer?, initialised: CallContext) {
        let d = descriptor.pointee
        self.path = path
        versions = initialised.versions
        hashesRequired = initialised.hashesRequired
        self.descriptor = descriptor
        self.instance = instance
        name = d.name.string.lowercased()
        version = d.version.string
        description = d.description.string
        capabilities = d.caps
        objectKinds = d.object_kinds
        var tags = Set<String>()
        if let t = d.type_tags { for i in 0..<d.n_type_tags { tags.insert(t[i].string) } }
        typeTags = tags
    }

    var needsContent: Bool { capabilities & THOR_CAP_NEEDS_CONTENT != 0 }
    /// Modules from before ABI 1.1 do not know the bit, so they get the digests.
    var needsHashes: Bool { capabilities & THOR_CAP_NO_HASHES == 0 || hashesRequired }
    /// Modules bound to type tags (parsers) see typed files whatever the content-scan gate says.
    var isTypeBound: Bool { !typeTags.isEmpty }

    func accepts(_ item: ScanItem) -> Bool {
        guard objectKinds & (1 << item.kind) != 0 else { return false }
        return typeTags.isEmpty || item.typeTags.contains { typeTags.contains($0) }
    }

    func scan(_ object: UnsafePointer<thor_object>, context: UnsafeMutableRawPointer) -> thor_status {
        guard let scan = descriptor.pointee.scan else { return THOR_E_UNSUPPORTED }
        if capabilities & THOR_CAP_THREADSAFE != 0 { return scan(instance, object, context) }
        lock.lock()
        defer { lock.unlock() }
        return scan(instance, object, context)
    }

    func finish(context: UnsafeMutableRawPointer) {
        lock.lock()
        defer { lock.unlock() }
        descriptor.pointee.finish?(instance, context)
    }
}
