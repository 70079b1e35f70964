import PluginABI
import PluginKit

/// A Swift module for the worker tests: a bounds trap on files starting with "FAULT:trap", the
/// way a Swift parser dies on input it did not expect.
final class TrapModule: ScanModule {
    static let descriptor = ModuleDescriptor(
        name: "trap", version: "1.0", description: "Traps on marker files (tests only)", author: "thor tests",
        objectKinds: [THOR_OBJ_FILE], capabilities: UInt32(THOR_CAP_NEEDS_CONTENT))

    init(_ setup: ModuleSetup) throws {}

    func scan(_ object: ScanObject, _ host: ScanHost) throws {
        guard let content = object.content, content.starts(with: Array("FAULT:trap".utf8)) else { return }
        let empty: [UInt8] = []
        _ = empty[Int(content[0])]
    }
}

@_cdecl("thor_plugin_entry")
public func thorPluginEntry(_ host: UnsafePointer<thor_host_api>?) -> UnsafePointer<thor_plugin>? {
    PluginExport.entry(TrapModule.self, host: host)
}
