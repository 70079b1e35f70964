import Foundation
import PluginABI
import PluginKit
import YaraEngine

/// The `yara` module: signature-base compatible YARA scanning of file content and memory
/// regions, with THOR's external variables set per object.
final class YaraModule: ScanModule {
    static let descriptor = ModuleDescriptor(
        name: "yara", version: "1.0.0",
        description: "YARA rules (signatures/yara, custom-signatures/yara, --yara-dir) on file content and memory",
        author: "thor project",
        objectKinds: [thor_object_kind(THOR_OBJ_FILE), thor_object_kind(THOR_OBJ_MEMORY)],
        capabilities: UInt32(THOR_CAP_THREADSAFE | THOR_CAP_NEEDS_CONTENT | THOR_CAP_NO_HASHES))

    /// Meta rules see the externals and the first 2048 bytes (thor-spec 4.3).
    static let metaBytes = 2048

    private let content: ScannerPool?
    private let memory: ScannerPool?
    private let meta: ScannerPool?
    /// The `filetype` external is "" unless `yara-filetype=magic`: the parity reference
    /// (../shared/bench/yara-reference.py, LOKI's scan without --filetype) sets it to "", and
    /// two signature-base rules change their result with a real type.
    private let passFileType: Bool

    init(_ setup: ModuleSetup) throws {
        var options = YaraScanner.Options()
        if let value = setup.option("string-context").flatMap(Int.init), value >= 0 { options.contextBytes = min(value, 4096) }
        if let value = setup.option("yara-timeout").flatMap(Int.init), value >= 0 { options.timeoutSeconds = value }
        passFileType = setup.option("yara-filetype") == "magic"
        let sets: RuleSets
        do {
            sets = try RuleSets.load(setup)
        } catch {
            throw ModuleError(THOR_E_INVALID_ARG, "YARA rules: \(error)")
        }
        content = sets.content.map { ScannerPool(rules: $0, options: options) }
        memory = sets.memory.map { ScannerPool(rules: $0, options: options) }
        meta = sets.meta.map { ScannerPool(rules: $0, options: options) }
        if content == nil && meta == nil { setup.host.log(THOR_LOG_WARNING, "no YARA rules loaded") }
        // The module sets THOR_CAP_NO_HASHES; rules that read the `md5` external (no signature-base
        // rule does) need the host's digests after all.
        if sets.content?.readsMD5 == true, setup.host.requireHashes() != THOR_OK {
            setup.host.log(THOR_LOG_WARNING, "the rules read the md5 external, but this host cannot be asked for file digests: md5 stays empty")
        }
    }

    func scan(_ object: ScanObject, _ host: ScanHost) throws {
        guard let bytes = object.content else { return }
        let isMemory = object.kind == thor_object_kind(THOR_OBJ_MEMORY)
        let externals = Self.externals(object, filetype: passFileType)
        if !isMemory, let meta {
            let head = UnsafeRawBufferPointer(rebasing: bytes.prefix(Self.metaBytes))
            for match in try run(meta, head, externals, object, host) {
                for tag in meta.rules.rules[match.ruleIndex].tags { host.addTypeTag(tag) }
            }
        }
        guard let pool = isMemory ? memory : content else { return }
        _ = try run(pool, bytes, externals, object, host)
    }

    private func run(_ pool: ScannerPool, _ bytes: UnsafeRawBufferPointer, _ externals: [String: String],
                     _ object: ScanObject, _ host: ScanHost) throws -> [YaraMatch] {
        let result = try pool.withScanner { scanner -> YaraScanResult in
            scanner.setExternals(externals)
            do {
                return try scanner.scan(bytes)
            } catch {
                throw ModuleError(THOR_E_INTERNAL, "YARA scan of \(object.path): \(error)")
            }
        }
        if result.timedOut { host.log(THOR_LOG_WARNING, "YARA scan of \(object.path) stopped at the --yara-timeout") }
        let kind = object.kind == thor_object_kind(THOR_OBJ_MEMORY) ? "memory" : "file"
        // THOR's `type = "memory"` / `"file"` meta limits a rule; other values ("APT",
        // "crimeware" in signature-base) are just descriptive.
        let applicable = result.matches.filter {
            let type = pool.rules.rules[$0.ruleIndex].objectType
            return (type != "memory" && type != "file") || type == kind
        }
        for match in applicable { host.emit(YaraFindings.finding(match, rules: pool.rules)) }
        return applicable
    }

    /// THOR's externals from the object's fields (an archive member's `unpack_parent` and
    /// `unpack_source` come from the host); the extension is derived from the file name
    /// exactly as the parity reference does. `md5` is the host's digest: there when a rule reads
    /// it (see init) or another module had the host hash the file.
    private static let passedFields: Set<String> = ["filename", "filepath", "owner", "md5", "unpack_parent", "unpack_source"]

    static func externals(_ object: ScanObject, filetype: Bool) -> [String: String] {
        var values: [String: String] = [:]
        for (key, value) in object.fields where passedFields.contains(key) || (filetype && key == "filetype") {
            values[key] = value
        }
        if values["filename"] == nil, object.kind == thor_object_kind(THOR_OBJ_FILE) { values["filename"] = object.name }
        values["extension"] = FileExternals.extensionOf(values["filename"] ?? "")
        return values
    }
}

@_cdecl("thor_plugin_entry")
public func thorPluginEntry(_ host: UnsafePointer<thor_host_api>?) -> UnsafePointer<thor_plugin>? {
    PluginExport.entry(YaraModule.self, host: host)
}
